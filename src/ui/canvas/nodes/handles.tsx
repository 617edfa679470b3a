import { Handle, Position } from '@xyflow/react';
import type { Port } from '../layout-types';

/**
 * Invisible handles on the top and bottom edges, only those an edge attaches to (`ports`, from
 * layout-handles.ts); edges pick them by id (`t`, `b`) in loose connection mode.
 */
export function Handles({ ports }: { ports: Port[] | undefined }) {
  return (
    <>
      {ports?.includes('t') && <Handle id="t" type="source" position={Position.Top} isConnectable={false} className="hs-handle" />}
      {ports?.includes('b') && <Handle id="b" type="source" position={Position.Bottom} isConnectable={false} className="hs-handle" />}
    </>
  );
}
