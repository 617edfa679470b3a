/**
 * The listeners an exported scenario starts for the model's sockets: one small Node program per
 * namespace, run with `node -e`. TCP answers every connection with one line, the listener's
 * label and the peer address it saw (`default/web-0 10.244.1.5:41234`), then closes; UDP
 * answers every datagram with the same line, sent back to where it came from. A TCP socket
 * listens with the backlog the simulated program asks for, so that `ss -l` shows the same
 * Send-Q on both sides. When every socket is bound it writes its pid to the ready file named by
 * its third argument.
 */
import type { Socket } from '../model/types';

/** The server program (CommonJS, for `node -e`); argv: LABEL SPEC READYFILE. */
export const LISTENER_JS = [
  "const net=require('net'),dgram=require('dgram'),fs=require('fs');",
  'const [,label,spec,ready]=process.argv;const items=spec.split(",");let bound=0;',
  'const up=()=>{if(++bound===items.length)fs.writeFileSync(ready,String(process.pid));};',
  'for(const it of items){const [sock,backlog]=it.split("/");const [proto,port,addr]=sock.split(":");const host=addr||"0.0.0.0";',
  "if(proto==='tcp'){const s=net.createServer(c=>{c.on('error',()=>{});c.end(label+' '+c.remoteAddress+':'+c.remotePort+'\\n');});s.listen({port:+port,host,backlog:+backlog||511},up);}",
  "else{const u=dgram.createSocket('udp4');u.on('message',(m,r)=>u.send(label+' '+r.address+':'+r.port+'\\n',r.port,r.address));u.bind(+port,host,up);}}",
].join('');

/**
 * `tcp:80/511,udp:53:10.0.0.1`: the sockets a listener binds, deduplicated, in model order, a
 * TCP one with its listen() backlog when `backlog` is given.
 */
export function listenerSpec(sockets: readonly Socket[], backlog?: (s: Socket) => number): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of sockets) {
    const item = `${s.protocol}:${s.port}${s.address ? `:${s.address}` : ''}${backlog && s.protocol === 'tcp' ? `/${backlog(s)}` : ''}`;
    if (seen.has(item)) continue;
    seen.add(item);
    out.push(item);
  }
  return out.join(',');
}
