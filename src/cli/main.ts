/**
 * `hopscope` — the command line over the same core as the web app (DESIGN §5).
 * Errors go to stderr with a non-zero exit; never a stack trace for bad input.
 */
import { parseArgs } from 'node:util';
import type { Args, CommandOutput } from './commands';
import { check, dns, kubectl, run, show, trace } from './commands';
import type { ByteOutput } from './export-commands';
import { exportCommand, pcapCommand } from './export-commands';
import { reach } from './reach-command';
import { UsageError } from './io';
import { compareCommand, execCommand } from './shell-commands';

const USAGE = `usage: hopscope COMMAND FILE [options]

commands:
  check FILE                                  diagnostics as file:line:col: severity: message (exit 1 on errors)
  trace FILE --from REF --to TARGET [--seed N] [--protocol tcp|udp|icmp] [--json]
  show FILE --node NAME WHAT                  WHAT: ip-route, ip-addr, ip-link, ip-neigh, bridge-fdb, iptables-save, ipvsadm, nft
  show FILE --pod NS/NAME WHAT                the same inside a pod's network namespace; WHAT=cni prints the
                                              runtime's CNI ADD calls (lo, eth0) with config and result JSON
  run FILE [--seed N] [--json]                 every Traffic request, with the per-endpoint distribution
  kubectl FILE get pods|nodes|svc|endpoints|endpointslices [-o wide] [-n NS | -A]
  kubectl FILE describe service NAME [-n NS]
  kubectl FILE get ingress [-n NS | -A] | kubectl FILE describe ingress NAME [-n NS]
  dns FILE --from REF NAME [--aaaa] [--seed N] the resolver's DNS queries in order, each a flow, with its answer
  show FILE resolv-conf --pod NS/NAME         the pod's /etc/resolv.conf as the kubelet writes it
  export netns FILE [--prefix P] [--teardown]  a shell script building the cluster with ip netns on a Linux host
                                              (or removing it); refuses IPVS mode and IPIP
  pcap FILE [--from REF --to TARGET] [--flow N] > trace.pcapng
                                              the trace (or the Traffic's flows) as pcapng for Wireshark
  reach FILE [--port 80] [--protocol TCP|UDP|ICMP] [--namespace NS[,NS]] [--json]
                                              every pod to every pod as traced flows: . allowed, X denied by a
                                              NetworkPolicy, R refused (nothing listens), - dropped otherwise
  exec FILE --on node/NAME|pod/NS/NAME[/CONTAINER] -- COMMAND…
                                              what the terminal prints for COMMAND there (ip, iptables, curl …)
  compare FILE --set PATH=VALUE… --from REF --to TARGET [--json]
                                              the flow under the scenario and under the edited variant
`;

const COMMANDS: Record<string, (a: Args) => CommandOutput | ByteOutput> = { check, trace, show, kubectl, run, dns, export: exportCommand, pcap: pcapCommand, reach };

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  // exec and compare parse their own arguments (`--` command words, repeated --set).
  const own = command === 'exec' ? execCommand : command === 'compare' ? compareCommand : undefined;
  const run = own ? (a: Args) => own(a.positionals) : COMMANDS[command];
  if (!run) {
    process.stderr.write(`hopscope: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    if (own) {
      const out = own(rest);
      process.stdout.write(out.stdout);
      process.stderr.write(out.stderr);
      return out.code;
    }
    const { positionals, values } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        seed: { type: 'string' },
        protocol: { type: 'string' },
        json: { type: 'boolean' },
        aaaa: { type: 'boolean' },
        node: { type: 'string' },
        pod: { type: 'string' },
        output: { type: 'string', short: 'o' },
        namespace: { type: 'string', short: 'n' },
        'all-namespaces': { type: 'boolean', short: 'A' },
        prefix: { type: 'string' },
        teardown: { type: 'boolean' },
        flow: { type: 'string' },
        port: { type: 'string' },
      },
    });
    const out = run({ positionals, values });
    process.stdout.write(out.stdout);
    process.stderr.write(out.stderr);
    return out.code;
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`hopscope ${command}: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`hopscope: internal error: ${(e as Error).message}\n`);
    return 3;
  }
}

process.exitCode = main(process.argv.slice(2));
