/** `-m sctp` (implicit with `-p sctp --dport …`): ports; chunk-type matching (`--chunk-types`) is not modelled. */
import { portOnlyMatch } from './udp';

/** The `sctp` match module. */
export const sctpMatch = portOnlyMatch('sctp');
