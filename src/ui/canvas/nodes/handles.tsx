import { Handle, Position } from '@xyflow/react';

/** Invisible top and bottom handles; edges pick them by id (`t`, `b`) in loose connection mode. */
export function Handles() {
  return (
    <>
      <Handle id="t" type="source" position={Position.Top} isConnectable={false} className="hs-handle" />
      <Handle id="b" type="source" position={Position.Bottom} isConnectable={false} className="hs-handle" />
    </>
  );
}
