// The shell's commands, held to the real tools' formats (fixtures/tool-output) and to what the
// simulated cluster holds. Generated names (Deployment pods) are read from the model, never typed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import type { ClusterModel } from '../model/types';
import { createShell } from './index';

const fixture = (f: string) => readFileSync(new URL(`../../../fixtures/tool-output/${f}`, import.meta.url), 'utf8');

function scenario(extra = '', cluster = 'cni: {plugin: flannel, backend: vxlan}'): ClusterModel {
  const yaml = `apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: t}
spec: {${cluster}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: shell, image: alpine}]}
${extra}`;
  const r = loadScenario(yaml);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.model!;
}

const pod = (m: ClusterModel) => createShell(m, { kind: 'pod', namespace: 'default', name: 'client' });
const node = (m: ClusterModel, name = 'node-1') => createShell(m, { kind: 'node', name });
const webPods = (m: ClusterModel) => m.pods.filter((p) => p.labels['app'] === 'web');
const serviceIp = (m: ClusterModel) => m.services.find((s) => s.metadata.name === 'web')!.spec.clusterIP!;

describe('kubectl', () => {
  it('prints the pod table with generated names, and kubectl NotFound for a missing pod', () => {
    const m = scenario();
    const sh = pod(m);
    const r = sh.run('kubectl get pods -o wide');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$/);
    for (const p of webPods(m)) expect(r.stdout).toContain(p.name);
    expect(sh.run('kubectl get pod nope')).toEqual({ stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });
    expect(sh.run('kubectl get foos').stderr).toBe('error: the server doesn\'t have a resource type "foos"\n');
  });

  it('answers unknown flags, unknown commands and a missing resource like kubectl (fixtures/tool-output/kubectl-errors.txt)', () => {
    const sh = pod(scenario());
    const real = fixture('kubectl-errors.txt');
    expect(real).toContain(sh.run('kubectl get pods --bogus').stderr.replace(/^error/, 'Error'));
    expect(sh.run('kubectl foo').stderr).toMatch(/^error: unknown command "foo" for "kubectl"/);
    expect(real).toContain(sh.run('kubectl get').stderr.trimEnd());
  });

  it('describes a service, a pod and a node; NotFound for a node typo', () => {
    const m = scenario();
    const sh = node(m);
    expect(sh.run('kubectl describe svc web').stdout).toMatch(/^Name: +web\nNamespace: +default\n/);
    expect(sh.run('kubectl describe pod client').stdout).toMatch(/^Name: +client\n[\s\S]*IP: +10\.244\.\d+\.\d+\n/);
    expect(sh.run('kubectl describe node node-1').stdout).toMatch(/InternalIP: +192\.168\.0\.\d+/);
    expect(sh.run('kubectl describe node nod-1')).toMatchObject({ stderr: 'Error from server (NotFound): nodes "nod-1" not found\n', exitCode: 1 });
  });

  it('writes "No resources found" to stderr, as kubectl does', () => {
    const r = pod(scenario()).run('kubectl get pods -n nowhere');
    expect(r).toEqual({ stdout: '', stderr: 'No resources found in nowhere namespace.\n', exitCode: 0 });
  });
});

describe('ip and bridge', () => {
  it('shows the pod side of the veth and its routes', () => {
    const sh = pod(scenario());
    expect(sh.run('ip addr show eth0').stdout).toMatch(/^\d+: eth0@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu \d+ qdisc noqueue state UP group default qlen 1000\n {4}link\/ether [0-9a-f:]{17} brd ff:ff:ff:ff:ff:ff link-netnsid 0\n {4}inet 10\.244\./);
    // The kernel adds lo's address without a broadcast address.
    expect(sh.run('ip addr show lo').stdout).toContain('    inet 127.0.0.1/8 scope host lo\n');
    expect(sh.run('ip r').stdout).toMatch(/^default via 10\.244\.\d+\.1 dev eth0/);
    expect(sh.run('ip route get 8.8.8.8').stdout).toMatch(/^8\.8\.8\.8 via 10\.244\.\d+\.1 dev eth0 src 10\.244\.\d+\.\d+ uid 0 \n {4}cache $/m);
  });

  it('gives iproute2\'s errors (fixtures/tool-output/ip-errors.txt)', () => {
    const sh = node(scenario());
    const real = fixture('ip-errors.txt');
    for (const line of ['ip foo', 'ip addr show dev nosuch', 'ip route show dev nosuch', 'ip route bogus', 'ip -bogus', 'bridge foo', 'bridge fdb show dev nosuch']) {
      const r = sh.run(line);
      expect(r.exitCode).not.toBe(0);
      expect(real).toContain(r.stderr);
    }
  });

  it('shows the VXLAN FDB and the flannel.1 device on a node', () => {
    const sh = node(scenario());
    expect(sh.run('bridge fdb show dev flannel.1').stdout).toMatch(/^[0-9a-f:]{17} dst 192\.168\.0\.\d+ self permanent$/m);
    expect(sh.run('ip -d link show flannel.1').stdout).toContain('flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450');
  });
});

describe('iptables, conntrack and ipvsadm after simulated traffic', () => {
  it('counts the packets a curl sent through KUBE-SERVICES, and conntrack shows the DNAT', () => {
    const m = scenario();
    const client = pod(m);
    const host = node(m);
    const before = host.run('iptables -t nat -L KUBE-SERVICES -n -v').stdout;
    expect(before.split('\n')[1]).toBe(' pkts bytes target     prot opt in     out     source               destination         ');
    expect(client.run(`curl -s http://${serviceIp(m)}`).exitCode).toBe(0);
    const after = host.run('iptables -t nat -L KUBE-SERVICES -n -v').stdout;
    const row = after.split('\n').find((l) => l.includes(`${serviceIp(m)} `) && l.includes('dpt:80'))!;
    expect(row).toMatch(/^ {4}1 {4}\d+ KUBE-SVC-\w+ +6 +-- +\* +\* +0\.0\.0\.0\/0 +10\./);
    const ct = host.run(`conntrack -L -d ${serviceIp(m)}`);
    expect(ct.stderr).toBe('conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n');
    expect(ct.stdout).toMatch(new RegExp(`^tcp +6 \\d+ \\w+ src=10\\.244\\.\\d+\\.\\d+ dst=${serviceIp(m).replace(/\./g, '\\.')} sport=\\d+ dport=80 src=10\\.244\\.\\d+\\.\\d+ dst=10\\.244\\.\\d+\\.\\d+ sport=8080 dport=\\d+`));
  });

  it('prints an empty conntrack table with the real summary line', () => {
    const r = node(scenario()).run('conntrack -L');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(fixture('conntrack-empty.txt'));
  });

  it('answers iptables errors as iptables v1.8.9 does (fixtures/tool-output/iptables-errors.txt)', () => {
    const sh = node(scenario());
    const real = fixture('iptables-errors.txt');
    for (const line of ['iptables -t nat -L NOPE -n', 'iptables -t foo -L -n', 'iptables --bogus']) expect(real).toContain(sh.run(line).stderr);
    expect(sh.run('iptables -t foo -L -n').exitCode).toBe(3);
  });

  it('iptables-save -t nat prints only the nat table, with rule counters under -c', () => {
    const sh = node(scenario());
    const r = sh.run('iptables-save -t nat');
    expect(r.stdout.startsWith('*nat\n:PREROUTING ACCEPT [')).toBe(true);
    expect(r.stdout).not.toContain('*filter');
    expect(sh.run('iptables-save -c -t nat').stdout).toMatch(/^\[\d+:\d+\] -A PREROUTING/m);
  });

  it('ipvsadm -Ln lists virtual services in IPVS mode, and --stats uses ipvsadm\'s columns', () => {
    const m = scenario('', 'cni: {plugin: flannel}, kubeProxy: {mode: ipvs}');
    const sh = node(m);
    expect(sh.run('ipvsadm -Ln').stdout).toContain(`TCP  ${serviceIp(m)}:80 rr\n`);
    pod(m).run(`curl -s http://${serviceIp(m)}`);
    const stats = sh.run('ipvsadm -Ln --stats').stdout.split('\n');
    expect(stats[1]).toBe('Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes');
    expect(stats.find((l) => l.startsWith(`TCP  ${serviceIp(m)}:80`))).toMatch(/^TCP {2}[\d.:]+ +1 +1 +1 +60 +60$/);
  });

  it('ipvsadm -Ln -t VIP:PORT lists that one virtual service, with the title but no version line (ipvsadm list_service)', () => {
    const m = scenario('', 'cni: {plugin: flannel}, kubeProxy: {mode: ipvs}');
    const sh = node(m);
    const one = sh.run(`ipvsadm -Ln -t ${serviceIp(m)}:80`);
    expect(one.exitCode).toBe(0);
    const all = sh.run('ipvsadm -Ln').stdout;
    const block = all.slice(all.indexOf(`TCP  ${serviceIp(m)}:80 `)).split(/\n(?=\S)/)[0]!;
    expect(one.stdout).toBe(`Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n${block.replace(/\n?$/, '\n')}`);
    expect(sh.run(`ipvsadm -L -n --tcp-service ${serviceIp(m)}:80`).stdout).toBe(one.stdout);
    expect(sh.run(`ipvsadm -Ln --stats -t ${serviceIp(m)}:80`).stdout.split('\n')[0]).toBe('Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes');
    expect(sh.run(`ipvsadm -Ln -u ${serviceIp(m)}:80`)).toEqual({ stdout: '', stderr: 'No such service\n', exitCode: 1 });
    expect(sh.run('ipvsadm -Ln -t').exitCode).toBe(2);
  });

  it('ipvsadm -Ln shows the mh scheduler with the mh-port flag kube-proxy sets', () => {
    const m = scenario('', 'cni: {plugin: flannel}, kubeProxy: {mode: ipvs, ipvsScheduler: mh}');
    expect(node(m).run('ipvsadm -Ln').stdout).toContain(`TCP  ${serviceIp(m)}:80 mh (mh-port)\n`);
    expect(pod(m).run(`curl -s http://${serviceIp(m)}`).exitCode).toBe(0);
  });

  it('nft list ruleset prints nothing, as the real tool does for an empty ruleset', () => {
    expect(node(scenario()).run('nft list ruleset')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });

  it('nft lists kube-proxy\'s table in nftables mode', () => {
    const sh = node(scenario('', 'cni: {plugin: flannel}, kubeProxy: {mode: nftables}'));
    expect(sh.run('nft list tables')).toEqual({ stdout: 'table ip kube-proxy\n', stderr: '', exitCode: 0 });
    expect(sh.run('nft list ruleset').stdout).toMatch(/^table ip kube-proxy \{\n\tcomment "rules for kube-proxy"\n/);
    expect(sh.run('nft list table ip kube-proxy').stdout).toContain('\tchain services {\n');
    expect(sh.run('nft list table ip nat').exitCode).toBe(1);
  });
});

describe('flow commands', () => {
  it('curl prints the body of the pod that answered and returns the flows walked', () => {
    const m = scenario();
    const r = pod(m).run(`curl http://${serviceIp(m)}/`);
    expect(r.exitCode).toBe(0);
    expect(webPods(m).map((p) => `Hello from ${p.name}\n`)).toContain(r.stdout);
    expect(r.flows?.at(-1)?.verdict).toBe('delivered');
  });

  it('curl -i / -si / --include prints the response headers before the body on stdout', () => {
    const m = scenario();
    for (const flag of ['-i', '-si', '--include']) {
      const r = pod(m).run(`curl ${flag} http://${serviceIp(m)}/`);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\nContent-Type: text\/plain\r\nContent-Length: \d+\r\n\r\nHello from web-/);
    }
  });

  it('curl to a closed port prints curl\'s refusal with exit 7 (fixtures/tool-output/curl-errors.txt)', () => {
    const m = scenario();
    const ip = webPods(m)[0]!.ip;
    const r = pod(m).run(`curl http://${ip}:81/`);
    expect(r.exitCode).toBe(7);
    expect(r.stderr).toBe(`curl: (7) Failed to connect to ${ip} port 81 after 0 ms: Couldn't connect to server\n`);
    expect(fixture('curl-errors.txt')).toContain(r.stderr.replace(ip, '10.9.0.2'));
  });

  it('curl -sS --connect-timeout to a silent drop prints the timeout form', () => {
    const m = scenario();
    const r = pod(m).run('curl -sS --connect-timeout 1 http://10.244.200.9/');
    expect([7, 28]).toContain(r.exitCode);
    expect(r.stderr).toMatch(/^curl: \((7|28)\) Failed to connect to 10\.244\.200\.9 port 80 after \d+ ms: (Timeout was reached|Couldn't connect to server)\n$/);
  });

  it('ping of an IPVS ClusterIP: KUBE-IPVS-FILTER rejects it at INPUT, and the error comes from the VIP (icmp_send sources a local destination)', () => {
    const m = scenario('', 'cni: {plugin: flannel, backend: vxlan}, kubeProxy: {mode: ipvs}');
    const r = pod(m).run(`ping -c 1 ${serviceIp(m)}`);
    expect(r.stdout).toContain(`From ${serviceIp(m)} icmp_seq=1 Destination Port Unreachable\n`);
  });

  it('ping prints iputils lines with the reply TTL, and the statistics block', () => {
    const m = scenario();
    const remote = webPods(m).find((p) => p.node !== 'node-1')!;
    const r = pod(m).run(`ping -c 3 ${remote.ip}`);
    const shape = (s: string) => s.replace(/\d+(\.\d+)*/g, 'N').replace(/ttl=N/, 'ttl=N');
    const real = fixture('ping-ok.txt').split('\n');
    const ours = r.stdout.split('\n');
    expect(ours.map(shape)).toEqual(real.map(shape));
    expect(ours[1]).toMatch(new RegExp(`^64 bytes from ${remote.ip}: icmp_seq=1 ttl=62 time=\\d\\.\\d{3} ms$`));
    expect(r.flows).toHaveLength(3);
  });

  it('ping: an ICMP error comes from the address the failing node routes back to the client with', () => {
    // icmp.c __icmp_send: for a forwarded packet saddr is 0, so the error's source is the one the
    // route back to the sender picks — on a flannel node the flannel.1 address (X.X.X.0), as
    // traceroute's hop shows; node-2's IP would be wrong. A local failure comes from the pod itself.
    const m = scenario();
    const node2 = m.nodes.find((n) => n.name === 'node-2')!;
    const vtep = node2.podCIDR!.replace(/\/\d+$/, '');
    const missing = node2.podCIDR!.replace(/\.0\/\d+$/, '.99');
    expect(pod(m).run(`ping -c 1 ${missing}`).stdout.split('\n')[1]).toBe(`From ${vtep} icmp_seq=1 Destination Host Unreachable`);
    const client = m.pods.find((p) => p.name === 'client')!;
    const local = client.ip.replace(/\.\d+$/, '.99');
    expect(pod(m).run(`ping -c 1 ${local}`).stdout.split('\n')[1]).toBe(`From ${client.ip} icmp_seq=1 Destination Host Unreachable`);
  });

  it('cat reads /sys/class/net/DEV/{iflink,ifindex,mtu,address} and a flannel node\'s /run/flannel/subnet.env', () => {
    // spec/pod-networking.md §3: inside the pod `cat /sys/class/net/eth0/iflink` prints the host
    // veth's index (the N of eth0@ifN). flanneld's WriteSubnetFile writes NETWORK, SUBNET (first
    // address of the lease), MTU, IPMASQ in that order (spec/cni.md §9).
    const m = scenario();
    const client = m.pods.find((p) => p.name === 'client')!;
    const podNs = m.netns.get(client.netns)!;
    const eth0 = podNs.devices.find((d) => d.name === 'eth0')!;
    const host = eth0.kind === 'veth' ? eth0.peer.ifindex : -1;
    expect(pod(m).run('cat /sys/class/net/eth0/iflink').stdout).toBe(`${host}\n`);
    expect(pod(m).run('cat /sys/class/net/eth0/ifindex').stdout).toBe(`${eth0.ifindex}\n`);
    expect(pod(m).run('cat /sys/class/net/eth0/mtu').stdout).toBe('1450\n');
    expect(pod(m).run('cat /sys/class/net/eth0/address').stdout).toBe(`${eth0.mac}\n`);
    expect(pod(m).run('cat /sys/class/net/lo/iflink').stdout).toBe('1\n');
    expect(pod(m).run('cat /run/flannel/subnet.env').exitCode).toBe(1);
    const node1 = createShell(m, { kind: 'node', name: 'node-1' });
    const cidr = m.nodes.find((n) => n.name === 'node-1')!.podCIDR!;
    expect(node1.run('cat /run/flannel/subnet.env').stdout).toBe(`FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=${cidr.replace('.0/', '.1/')}\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n`);
  });

  it('ping and curl: a packet a blackhole route discards gets no ICMP error, only loss or a timeout', () => {
    // Kernel: a blackhole route makes the input lookup fail with -EINVAL, and ip_error() drops
    // such packets without an ICMP error (checked on Linux 6.1: no "From …" line); Calico's
    // blackhole for a node's own block is where an unused address in it ends.
    const m = scenario('', 'cni: {plugin: calico, backend: ipip}');
    const client = m.pods.find((p) => p.name === 'client')!;
    const unused = client.ip.replace(/\.\d+$/, '.50');
    const r = pod(m).run(`ping -c 1 ${unused}`);
    expect(r.stdout).not.toMatch(/From /);
    expect(r.stdout).toMatch(/1 packets transmitted, 0 received, 100% packet loss/);
    // curl sees no error either: its connect times out (28), it is not refused or unreachable (7).
    const c = pod(m).run(`curl -sS --connect-timeout 2 http://${unused}/`);
    expect(c.exitCode).toBe(28);
    expect(c.stderr).toBe(`curl: (28) Failed to connect to ${unused} port 80 after 2001 ms: Timeout was reached\n`);
  });

  it('traceroute lists the node routers on the way, then the destination', () => {
    const m = scenario();
    const remote = webPods(m).find((p) => p.node !== 'node-1')!;
    const r = pod(m).run(`traceroute -n ${remote.ip}`);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`traceroute to ${remote.ip} (${remote.ip}), 30 hops max, 60 byte packets`);
    expect(lines.slice(1).map((l) => l.replace(/ {2}\d+\.\d{3} ms/g, '')).map((l) => l.trim())).toHaveLength(3);
    expect(lines[3]).toMatch(new RegExp(`^ 3  ${remote.ip.replace(/\./g, '\\.')}( {2}\\d+\\.\\d{3} ms){3}$`));
  });

  it('tcpdump -n prints the next flow\'s packets on the interface in tcpdump\'s one-line format', () => {
    const m = scenario();
    const sh = pod(m);
    const armed = sh.run('tcpdump -i eth0 -n');
    expect(armed.stderr).toBe(fixture('tcpdump-stderr.txt').split('\n').slice(0, 2).join('\n').replace('vb', 'eth0') + '\n');
    const r = sh.run(`curl -s http://${webPods(m)[0]!.ip}:8080`);
    const lines = r.stdout.split('\n').filter((l) => / IP /.test(l));
    const realSyn = fixture('tcpdump-nn.txt').split('\n').find((l) => l.includes('Flags [S],'))!;
    const shape = (s: string) => s.replace(/\d+/g, 'N').replace(/options \[[^\]]*\]/, 'options');
    expect(shape(lines[0]!)).toBe(shape(realSyn));
    expect(lines[1]).toMatch(/ IP 10\.244\.\d+\.\d+\.8080 > 10\.244\.\d+\.\d+\.\d+: Flags \[S\.\], seq \d+, ack \d+, win \d+, options \[mss \d+\], length 0$/);
    expect(r.stderr).toMatch(/^\d+ packets captured\n\d+ packets received by filter\n0 packets dropped by kernel\n$/);
    expect(sh.run('tcpdump -i nosuch').stderr).toBe('tcpdump: nosuch: No such device exists\n(SIOCGIFHWADDR: No such device)\n');
  });
});

describe('curl through an ingress-nginx controller', () => {
  const ING = `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /api, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /gone, pathType: Prefix, backend: {service: {name: nosvc, port: {number: 80}}}}
`;
  it('routes by the Host header and path as the controller does: the backend answers, 404 and 503 come from nginx', () => {
    const m = scenario(ING);
    const ctl = m.services.find((s) => s.metadata.name === 'ingress-nginx-controller')!;
    const np = ctl.spec.ports!.find((p) => p.port === 80)!.nodePort!;
    const sh = pod(m);
    const ok = sh.run(`curl -s -H "Host: shop.example.com" http://192.168.0.11:${np}/api/items`);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/^Hello from web-/);
    expect(ok.flows?.some((f) => f.from.startsWith('pod/ingress-nginx/'))).toBe(true);
    const miss = sh.run(`curl -si -H "Host: shop.example.com" http://192.168.0.11:${np}/other`);
    expect(miss.stdout).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(miss.stdout).toContain('<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>');
    const gone = sh.run(`curl -s -H "Host: shop.example.com" http://192.168.0.11:${np}/gone`);
    expect(gone.stdout).toContain('<title>503 Service Temporarily Unavailable</title>');
    expect(sh.run(`curl -s http://192.168.0.11:${np}/api`).stdout).toContain('404 Not Found');
  });
});

describe('kubectl get endpoints', () => {
  it('prints the Service\'s ready IP:port list, with the v1.33 deprecation warning on stderr', () => {
    const m = scenario();
    const r = pod(m).run('kubectl get ep web');
    expect(r.stdout).toMatch(/^NAME\s+ENDPOINTS\s+AGE\nweb\s+10\.244\.\d+\.\d+:8080,10\.244\.\d+\.\d+:8080\s+<unknown>\n$/);
    expect(r.stderr).toBe('Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n');
  });
});

describe('DNS tools', () => {
  it('with no DNS server reachable, dig and nslookup print BIND\'s timeout text', () => {
    const sh = pod(scenario());
    const dig = sh.run('dig @10.244.200.9 web.default.svc.cluster.local');
    expect(dig.exitCode).toBe(9);
    expect(dig.stdout.split('\n')[0]).toBe(fixture('dig-timeout.txt').split('\n')[0]!.replace('10.9.0.9', '10.244.200.9'));
    expect(dig.stdout).toMatch(/; \(1 server found\)\n;; global options: \+cmd\n;; no servers could be reached\n$/);
    const look = sh.run('nslookup web 10.244.200.9');
    expect(look.exitCode).toBe(1);
    expect(fixture('nslookup-timeout.txt')).toContain(look.stdout.split('\n')[0]!.replace('10.244.200.9', '10.9.0.9'));
    expect(look.stdout).toContain(';; no servers could be reached\n');
  });

  it('without cluster DNS the node\'s resolver knows no Service names: NXDOMAIN, and curl cannot resolve', () => {
    const sh = pod(scenario('', 'cni: {plugin: flannel}, dns: false'));
    expect(sh.run('nslookup web').stdout).toMatch(/\*\* server can't find web: NXDOMAIN\n\n$/);
    expect(sh.run('curl http://web').stderr).toBe('curl: (6) Could not resolve host: web\n');
  });

  it('with cluster DNS, nslookup walks the search list and answers with the ClusterIP', () => {
    const m = scenario();
    const r = pod(m).run('nslookup web');
    expect(r.stdout).toMatch(new RegExp(`^Server:\\t\\t(\\S+)\\nAddress:\\t\\1#53\\n\\nName:\\tweb\\.default\\.svc\\.cluster\\.local\\nAddress: ${serviceIp(m).replace(/\./g, '\\.')}\\n\\n$`));
    expect(r.flows?.[0]?.to).toMatch(/:53$/);
    expect(pod(m).run('dig +short web.default.svc.cluster.local').stdout).toBe(`${serviceIp(m)}\n`);
  });

  it('answers as CoreDNS does: names outside the cluster are forwarded, an ExternalName is a CNAME, TTLs are the Corefile\'s 30', () => {
    const m = scenario('---\napiVersion: v1\nkind: Service\nmetadata: {name: my-db}\nspec: {type: ExternalName, externalName: example.com}\n');
    const g = pod(m).run('nslookup google.com');
    expect(g.exitCode).toBe(0);
    expect(g.stdout).toMatch(/\n\nNon-authoritative answer:\nName:\tgoogle\.com\nAddress: \d+\.\d+\.\d+\.\d+\n/);
    expect(pod(m).run('nslookup my-db').stdout).toMatch(/\n\nmy-db\.default\.svc\.cluster\.local\tcanonical name = example\.com\.\nName:\texample\.com\nAddress: /);
    expect(pod(m).run('dig google.com').stdout).toContain(';; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n\n');
    const cname = pod(m).run('dig my-db.default.svc.cluster.local');
    expect(cname.stdout).toContain('status: NOERROR');
    expect(cname.stdout).toMatch(/\nmy-db\.default\.svc\.cluster\.local\. 30 IN\tCNAME\texample\.com\.\n/);
    expect(cname.stdout).toMatch(/\nexample\.com\.\t\t\d+\tIN\tA\t\d+\.\d+\.\d+\.\d+\n/);
    expect(pod(m).run('curl -s -o /dev/null -w "%{http_code}" http://my-db').stderr).not.toContain('Could not resolve host');
    expect(pod(m).run('dig web.default.svc.cluster.local').stdout).toMatch(new RegExp(`\\nweb\\.default\\.svc\\.cluster\\.local\\. 30 IN\\tA\\t${serviceIp(m).replace(/\./g, '\\.')}\\n`));
    const nx = pod(m).run('dig nosuch.default.svc.cluster.local');
    expect(nx.stdout).toContain('status: NXDOMAIN');
    expect(nx.stdout).toMatch(/\ncluster\.local\.\t\t?30\tIN\tSOA\tns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. \d+ 7200 1800 86400 30\n/);
  });

  it('reads /etc/resolv.conf as the kubelet writes it', () => {
    const m = scenario();
    expect(pod(m).run('cat /etc/resolv.conf').stdout).toMatch(/^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local\nnameserver 10\.\d+\.\d+\.\d+\noptions ndots:5\n$/);
    expect(pod(m).run('cat /etc/nope')).toMatchObject({ stderr: 'cat: /etc/nope: No such file or directory\n', exitCode: 1 });
  });
});

describe('the shell itself', () => {
  it('says command not found like bash and lists what exists', () => {
    const r = pod(scenario()).run('foo --bar');
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toMatch(/^bash: foo: command not found\nhopscope: this terminal answers: kubectl, ip, .*curl.*tcpdump/);
  });

  it('completes command names, pod names, services and interface names', () => {
    const m = scenario();
    const sh = node(m);
    expect(sh.complete('kube')).toEqual(['kubectl']);
    expect(sh.complete('kubectl get pods cl')).toEqual(['client']);
    expect(sh.complete('kubectl describe svc w')).toEqual(['web']);
    expect(sh.complete('tcpdump -i fl')).toEqual(['flannel.1']);
    expect(sh.complete('ip addr show c')).toEqual(['cni0']);
    expect(sh.complete('iptables -t nat -L KUBE-SVC')).not.toHaveLength(0);
  });

  it('keeps history, runs lists and pipes', () => {
    const sh = pod(scenario());
    sh.run('hostname');
    sh.run('false-command || echo fallback');
    expect(sh.run('history').stdout).toBe('    1  hostname\n    2  false-command || echo fallback\n    3  history\n');
    expect(sh.run('kubectl get pods | grep client | wc -l').stdout).toBe('1\n');
    expect(sh.run('echo a && echo b; echo c').stdout).toBe('a\nb\nc\n');
    expect(sh.run("echo 'unterminated").stderr).toBe("bash: unexpected EOF while looking for matching `''\n");
  });

  it('a shell for a missing pod or a node typo answers every line with kubectl\'s NotFound', () => {
    const m = scenario();
    expect(createShell(m, { kind: 'pod', namespace: 'default', name: 'ghost' }).run('ip a').stderr).toBe('Error from server (NotFound): pods "ghost" not found\n');
    expect(createShell(m, { kind: 'node', name: 'node-9' }).run('ip a').stderr).toBe('Error from server (NotFound): nodes "node-9" not found\n');
  });

  it('prints NAME --help for every command', () => {
    const sh = node(scenario());
    for (const c of ['kubectl', 'ip', 'bridge', 'iptables', 'iptables-save', 'ipvsadm', 'nft', 'conntrack', 'curl', 'ping', 'traceroute', 'nslookup', 'dig', 'tcpdump']) {
      const r = sh.run(`${c} --help`);
      expect(r.exitCode, c).toBe(0);
      expect(r.stdout.length, c).toBeGreaterThan(20);
    }
  });
});
