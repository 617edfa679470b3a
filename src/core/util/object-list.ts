/**
 * An empty list already in the array class (V8 elements kind) that objects (or strings) give a list. A `[]`
 * literal starts as a list of small integers and changes class on its first object. Code run
 * once per compile met that first push in the interpreter, before V8 kept feedback for it, and was
 * optimised for the object class alone: the next compile's first push (model.cniLog's first CNI
 * call, the first bound pod) threw the optimised runPodSandbox and pod loop away again. A list made
 * here has the class of every later state from the start. It is an ordinary empty array.
 */

/** A list holding one object (null), its slices keep its elements kind. */
const OBJECTS: readonly (object | null)[] = [null];

/** A new, empty, ordinary array of the kind a list of objects has. */
export function objectList<T>(): T[] {
  return OBJECTS.slice(0, 0) as T[];
}
