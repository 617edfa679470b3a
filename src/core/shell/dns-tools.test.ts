// dig, nslookup and host with a query type, held to BIND 9.18's sources (bin/dig/dig.c
// parse_args, nslookup.c printsection, host.c rtypes/printmessage, lib/dns/masterdump.c columns)
// and to CoreDNS's kubernetes plugin answers (SRV + ADDITIONAL, PTR, NODATA with the SOA).
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import type { ClusterModel } from '../model/types';
import type { Flow } from '../trace/types';
import { createShell } from './index';

const YAML = `apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: f}
spec:
  nodes: 2
  cni: {plugin: flannel, backend: vxlan}
---
apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: a}}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80, name: http}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: a}
spec: {selector: {app: a}, ports: [{port: 80, name: http}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, image: postgres, ports: [{containerPort: 5432, name: pg}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432, name: pg}]}
---
apiVersion: v1
kind: Service
metadata: {name: my-db}
spec: {type: ExternalName, externalName: example.com}
`;

function model(): ClusterModel {
  const r = loadScenario(YAML);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.model!;
}

const shell = (m: ClusterModel) => createShell(m, { kind: 'pod', namespace: 'default', name: 'a' });
const ipOf = (m: ClusterModel, svc: string, ns = 'default') => m.services.find((s) => s.metadata.name === svc && s.metadata.namespace === ns)!.spec.clusterIP!;
const dbPods = (m: ClusterModel) => m.pods.filter((p) => p.labels['app'] === 'db');
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const reverse = (ip: string) => `${ip.split('.').reverse().join('.')}.in-addr.arpa`;

describe('dig', () => {
  it('takes a known type token as the query type, before or after the name, and prints CoreDNS\'s SRV answer with its ADDITIONAL address', () => {
    const m = model();
    const ip = ipOf(m, 'a');
    for (const cmd of ['dig a.default.svc.cluster.local SRV', 'dig SRV a.default.svc.cluster.local', 'dig -t srv a.default.svc.cluster.local']) {
      const r = shell(m).run(cmd);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain(';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: ');
      expect(r.stdout).toContain(';; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 2\n');
      expect(r.stdout).toContain(';; QUESTION SECTION:\n;a.default.svc.cluster.local.\tIN\tSRV\n\n');
      expect(r.stdout).toContain(';; ANSWER SECTION:\na.default.svc.cluster.local. 30\tIN\tSRV\t0 100 80 a.default.svc.cluster.local.\n\n');
      expect(r.stdout).toContain(`;; ADDITIONAL SECTION:\na.default.svc.cluster.local. 30\tIN\tA\t${ip}\n\n`);
      expect(r.flows).toHaveLength(1);
      expect(r.flows![0]!.to).toMatch(/:53$/);
    }
  });

  it('asks the named port\'s SRV owner, the columns as masterdump.c lays them out past column 24', () => {
    const r = shell(model()).run('dig SRV _http._tcp.a.default.svc.cluster.local');
    expect(r.stdout).toContain(';_http._tcp.a.default.svc.cluster.local.\tIN SRV\n');
    expect(r.stdout).toContain('\n_http._tcp.a.default.svc.cluster.local.\t30 IN SRV 0 100 80 a.default.svc.cluster.local.\n');
  });

  it('-x asks PTR of the in-addr.arpa name: a ClusterIP answers its Service, a pod behind a Service its endpoint name', () => {
    const m = model();
    const dns = ipOf(m, 'kube-dns', 'kube-system');
    const r = shell(m).run(`dig -x ${dns}`);
    expect(r.stdout).toContain(`;; QUESTION SECTION:\n;${reverse(dns)}.\tIN\tPTR\n`);
    expect(r.stdout).toMatch(new RegExp(`\\n${esc(reverse(dns))}\\.\\s+30\\s+IN\\s+PTR\\tkube-dns\\.kube-system\\.svc\\.cluster\\.local\\.\\n`));
    expect(shell(m).run(`dig +short -x ${dns}`).stdout).toBe('kube-dns.kube-system.svc.cluster.local.\n');
    const podA = m.pods.find((p) => p.name === 'a')!;
    expect(shell(m).run(`dig -x ${podA.ip} +short`).stdout).toBe(`${podA.ip.replace(/\./g, '-')}.a.default.svc.cluster.local.\n`);
  });

  it('NODATA is NOERROR with no answer and the zone SOA; a missing name is NXDOMAIN', () => {
    const m = model();
    const nodata = shell(m).run('dig a.default.svc.cluster.local AAAA');
    expect(nodata.stdout).toContain('status: NOERROR');
    expect(nodata.stdout).toContain(';; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n');
    expect(nodata.stdout).not.toContain('ANSWER SECTION');
    expect(nodata.stdout).toContain(';; AUTHORITY SECTION:\ncluster.local.\t\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. ');
    const nx = shell(m).run('dig nope.default.svc.cluster.local AAAA');
    expect(nx.stdout).toContain('status: NXDOMAIN');
    expect(nx.exitCode).toBe(0);
  });

  it('+short prints the RDATA only; +noall +answer the answer lines only', () => {
    const m = model();
    expect(shell(m).run('dig +short a.default.svc.cluster.local').stdout).toBe(`${ipOf(m, 'a')}\n`);
    expect(shell(m).run('dig +short _http._tcp.a.default.svc.cluster.local SRV').stdout).toBe('0 100 80 a.default.svc.cluster.local.\n');
    expect(shell(m).run('dig +short my-db.default.svc.cluster.local').stdout).toMatch(/^example\.com\.\n\d+\.\d+\.\d+\.\d+\n$/);
    expect(shell(m).run('dig +noall +answer a.default.svc.cluster.local').stdout).toBe(`a.default.svc.cluster.local. 30\tIN\tA\t${ipOf(m, 'a')}\n`);
  });

  it('a headless Service answers one SRV per ready endpoint, every endpoint\'s A in ADDITIONAL', () => {
    const m = model();
    const r = shell(m).run('dig _pg._tcp.db.default.svc.cluster.local SRV');
    const targets = dbPods(m).map((p) => `${p.ip.replace(/\./g, '-')}.db.default.svc.cluster.local`);
    for (const t of targets) expect(r.stdout).toContain(`\n_pg._tcp.db.default.svc.cluster.local. 30 IN SRV 0 50 5432 ${t}.\n`);
    expect(r.stdout).toContain('ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 3');
    for (const p of dbPods(m)) expect(r.stdout).toMatch(new RegExp(`\\n${esc(p.ip.replace(/\./g, '-'))}\\.db\\.default\\.svc\\.cluster\\.local\\. 30 IN A ${esc(p.ip)}\\n`));
  });

  it('an ExternalName is a CNAME: asked CNAME it is the only answer', () => {
    const r = shell(model()).run('dig +noall +answer my-db.default.svc.cluster.local CNAME');
    expect(r.stdout).toBe('my-db.default.svc.cluster.local. 30 IN\tCNAME\texample.com.\n');
  });

  it('parses like dig.c: `a` is the type A, and with no name dig asks the root\'s NS, warning of the extra type', () => {
    const r = shell(model()).run('dig a AAAA');
    expect(r.stderr).toBe(';; Warning, extra type option\n');
    expect(r.stdout).toContain(';; QUESTION SECTION:\n;.\t\t\t\tIN\tNS\n');
    expect(r.stdout).toContain('.\t\t\t518400\tIN\tNS\ta.root-servers.net.\n');
  });

  it('a type after the first name is inherited by the next; -q names a lookup; each name is its own query and flow', () => {
    const m = model();
    const r = shell(m).run('dig +short a.default.svc.cluster.local SRV -q _http._tcp.a.default.svc.cluster.local');
    expect(r.stdout).toBe('0 100 80 a.default.svc.cluster.local.\n0 100 80 a.default.svc.cluster.local.\n');
    expect(r.flows).toHaveLength(2);
  });

  it('does not search unless +search, which then walks resolv.conf\'s search list (ndots:5) until an answer', () => {
    const m = model();
    const plain = shell(m).run('dig +short db');
    expect(plain.stdout).toBe('');
    expect(plain.flows).toHaveLength(1);
    const searched = shell(m).run('dig +search +short _http._tcp.a SRV');
    expect(searched.stdout).toBe('0 100 80 a.default.svc.cluster.local.\n');
    expect(searched.flows).toHaveLength(1);
    const walked = shell(m).run('dig +search +short a.default');
    expect(walked.stdout).toBe(`${ipOf(m, 'a')}\n`);
    expect(walked.flows).toHaveLength(2);
  });

  it('a server given by name is looked up first and printed as typed; one that does not resolve is dig\'s exit 10', () => {
    const m = model();
    const dns = ipOf(m, 'kube-dns', 'kube-system');
    const r = shell(m).run('dig @kube-dns.kube-system.svc.cluster.local a.default.svc.cluster.local');
    expect(r.stdout).toContain(`;; SERVER: ${dns}#53(kube-dns.kube-system.svc.cluster.local) (UDP)\n`);
    expect(shell(m).run('dig @nowhere a.default.svc.cluster.local')).toMatchObject({ stderr: "dig: couldn't get address for 'nowhere': not found\n", exitCode: 10 });
    expect(shell(m).run('nslookup -type=SRV _http._tcp.a kube-dns.kube-system').stdout).toMatch(new RegExp(`^Server:\\t\\tkube-dns\\.kube-system\\nAddress:\\t${esc(dns)}#53\\n\\n`));
  });

  it('refuses what dns_name_fromtext refuses, before any greeting (dig 9.18.49 prints nothing on stdout), with exit 10', () => {
    const sh = shell(model());
    const r = sh.run('dig a..b');
    expect(r).toMatchObject({ stderr: "dig: 'a..b' is not a legal name (empty label)\n", exitCode: 10 });
    expect(r.stdout).toBe('');
    expect(r.flows ?? []).toHaveLength(0);
    expect(sh.run(`dig ${'x'.repeat(64)}.com`).stderr).toContain('(label too long)');
  });

  it('the apex answers SOA and NS (ns.dns.<zone>, its address in ADDITIONAL)', () => {
    const m = model();
    expect(shell(m).run('dig +short cluster.local SOA').stdout).toBe('ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 30\n');
    const ns = shell(m).run('dig cluster.local NS');
    expect(ns.stdout).toContain(';; ANSWER SECTION:\ncluster.local.\t\t30\tIN\tNS\tns.dns.cluster.local.\n');
    expect(ns.stdout).toContain(`;; ADDITIONAL SECTION:\nns.dns.cluster.local.\t30\tIN\tA\t${ipOf(m, 'kube-dns', 'kube-system')}\n`);
  });

  it('MSG SIZE is the reply CoreDNS writes: uncompressed, with the OPT record echoing dig\'s cookie (bind 9.18 sends one; message.c "(echoed)")', () => {
    const m = model();
    const r = shell(m).run('dig kubernetes.default.svc.cluster.local');
    expect(r.stdout).toContain(';; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n');
    expect(r.stdout).toMatch(/\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n; COOKIE: [0-9a-f]{16} \(echoed\)\n;; QUESTION SECTION:\n/);
    // 12 header + 42 question + 52 answer (owner written in full) + 23 OPT (11 + a 12-byte COOKIE option).
    expect(r.stdout).toContain(';; MSG SIZE  rcvd: 129\n');
    const noCookie = shell(m).run('dig +nocookie kubernetes.default.svc.cluster.local');
    expect(noCookie.stdout).not.toContain('COOKIE');
    expect(noCookie.stdout).toContain(';; MSG SIZE  rcvd: 117\n');
    // Without EDNS, the 106 bytes CoreDNS logs for this reply (kubernetes/kubernetes#72826).
    expect(shell(m).run('dig +noedns kubernetes.default.svc.cluster.local').stdout).toContain(';; MSG SIZE  rcvd: 106\n');
    expect(shell(m).run('host -v -t A kubernetes.default.svc.cluster.local').stdout).toContain('Received 106 bytes from 10.96.0.10#53 in 0 ms\n');
  });

  it('one cookie per dig run; a forwarded answer carries the upstream\'s server cookie after it, which dig calls "(good)"', () => {
    const m = model();
    const r = shell(m).run('dig kubernetes.default.svc.cluster.local example.com');
    const cookies = [...r.stdout.matchAll(/; COOKIE: ([0-9a-f]+) \((\w+)\)\n/g)].map((x) => [x[1], x[2]]);
    expect(cookies.map((c) => c[1])).toEqual(['echoed', 'good']);
    expect(cookies[1]![0]!.slice(0, 16)).toBe(cookies[0]![0]);
    expect(cookies[1]![0]).toHaveLength(48);
  });

  it('-h prints the usage and asks nothing', () => {
    const r = shell(model()).run('dig -h');
    expect(r).toMatchObject({ stderr: '', exitCode: 0 });
    expect(r.stdout).toMatch(/^Usage: {2}dig \[@global-server\] \[domain\] \[q-type\] \[q-class\] \{q-opt\}\n/);
    expect(r.flows ?? []).toHaveLength(0);
  });

  it('completes + options and types', () => {
    const sh = shell(model());
    expect(sh.complete('dig +sh')).toEqual(['+short']);
    expect(sh.complete('dig -t S')).toEqual(['SOA', 'SRV']);
  });
});

describe('nslookup', () => {
  it('-type=SRV applies the search list and prints "service ="', () => {
    const r = shell(model()).run('nslookup -type=SRV _http._tcp.a');
    expect(r.stdout).toMatch(/^Server:\t\t(\S+)\nAddress:\t\1#53\n\n_http\._tcp\.a\.default\.svc\.cluster\.local\tservice = 0 100 80 a\.default\.svc\.cluster\.local\.\n\n$/);
    expect(r.exitCode).toBe(0);
  });

  it('an address asks PTR ("name ="); -query=AAAA of an A-only name is "No answer"; NXDOMAIN exits 1', () => {
    const m = model();
    const dns = ipOf(m, 'kube-dns', 'kube-system');
    expect(shell(m).run(`nslookup ${dns}`).stdout).toMatch(new RegExp(`\\n\\n${esc(reverse(dns))}\\tname = kube-dns\\.kube-system\\.svc\\.cluster\\.local\\.\\n\\n$`));
    const none = shell(m).run('nslookup -query=AAAA a');
    expect(none.stdout).toMatch(/\n\n\*\*\* Can't find a: No answer\n\n$/);
    expect(none.exitCode).toBe(0);
    const nx = shell(m).run('nslookup -q=SRV _nope._tcp.a');
    expect(nx.stdout).toMatch(/\*\* server can't find _nope\._tcp\.a: NXDOMAIN\n\n$/);
    expect(nx.exitCode).toBe(1);
  });

  it('without a type asks A through the search list, then AAAA of the name that answered (two flows)', () => {
    const m = model();
    const r = shell(m).run('nslookup a');
    expect(r.stdout).toMatch(new RegExp(`\\n\\nName:\\ta\\.default\\.svc\\.cluster\\.local\\nAddress: ${esc(ipOf(m, 'a'))}\\n\\n$`));
    expect(r.flows).toHaveLength(2);
    expect(shell(m).run('nslookup a.default').flows).toHaveLength(3);
  });

  it('without a type, a name with no A and no AAAA is "No answer" after both lookups', () => {
    const m = model();
    const r = shell(m).run('nslookup cluster.local.');
    expect(r.stdout).toMatch(/\n\n\*\*\* Can't find cluster\.local: No answer\n\n$/);
    expect(r.flows).toHaveLength(2);
    // One dot: the three search domains say NXDOMAIN before the name as given says NODATA.
    expect(shell(m).run('nslookup cluster.local').flows).toHaveLength(5);
    expect(shell(m).run('nslookup .').stdout).toMatch(/\n\*\*\* Can't find \.: No answer\n\n$/);
  });

  it('reports an unknown type and keeps asking A', () => {
    const r = shell(model()).run('nslookup -type=BOGUS a');
    expect(r.stdout).toMatch(/^unknown query type: BOGUS\nServer:/);
    expect(r.stdout).toContain('Name:\ta.default.svc.cluster.local\n');
  });
});

describe('host', () => {
  it('-t SRV, -t PTR by address, -t AAAA of an A-only name, NXDOMAIN', () => {
    const m = model();
    expect(shell(m).run('host -t SRV _http._tcp.a').stdout).toBe('_http._tcp.a.default.svc.cluster.local has SRV record 0 100 80 a.default.svc.cluster.local.\n');
    const dns = ipOf(m, 'kube-dns', 'kube-system');
    expect(shell(m).run(`host ${dns}`).stdout).toBe(`${reverse(dns)} domain name pointer kube-dns.kube-system.svc.cluster.local.\n`);
    expect(shell(m).run('host -t AAAA a')).toMatchObject({ stdout: 'a.default.svc.cluster.local has no AAAA record\n', exitCode: 0 });
    expect(shell(m).run('host nope')).toMatchObject({ stdout: 'Host nope not found: 3(NXDOMAIN)\n', exitCode: 1 });
  });

  it('without a type asks A, AAAA and MX, following an ExternalName\'s CNAME', () => {
    const m = model();
    const r = shell(m).run('host my-db');
    expect(r.stdout).toMatch(/^my-db\.default\.svc\.cluster\.local is an alias for example\.com\.\nexample\.com has address \d+\.\d+\.\d+\.\d+\n$/);
    expect(r.flows).toHaveLength(3);
    expect(shell(m).run('host a').stdout).toBe(`a.default.svc.cluster.local has address ${ipOf(m, 'a')}\n`);
  });
});

// Transport, port and class (dig +tcp/+vc/-p/-c, host -T/-p/-c/-l/-v/-a, nslookup -vc/-port=/-class=),
// held to dig/host/nslookup 9.18.49 run against a local server answering like CoreDNS (IN records
// to a CH question, REFUSED for AXFR), to bin/dig/dighost.c (tcp_connected, hex_dump, recv_done)
// and host.c, and to CoreDNS core/dnsserver/server.go (CH allowed once `forward` is loaded) and
// plugin/kubernetes/handler.go (AXFR/IXFR refused).
describe('transport, port and class', () => {
  const dnsPod = (m: ClusterModel) => m.pods.find((p) => p.labels['k8s-app'] === 'kube-dns')!.ip;

  it('dig +tcp (and +vc) asks over a TCP connection to port 53 through the dns-tcp Service port; SERVER says (TCP)', () => {
    const m = model();
    const dns = ipOf(m, 'kube-dns', 'kube-system');
    for (const opt of ['+tcp', '+vc']) {
      const r = shell(m).run(`dig ${opt} a.default.svc.cluster.local`);
      expect(r.stdout).toContain(`;; SERVER: ${dns}#53(${dns}) (TCP)\n`);
      expect(r.stdout).toContain(`a.default.svc.cluster.local. 30\tIN\tA\t${ipOf(m, 'a')}\n`);
      expect(r.flows).toHaveLength(1);
      const syn = r.flows![0]!.hops[0]!.packet.headers.find((h) => h.kind === 'tcp');
      expect(syn).toMatchObject({ kind: 'tcp', dport: 53, flags: 'S' });
      expect(r.flows![0]!.endpoint).toMatch(/^kube-system\/coredns-/);
    }
    // A name outside the cluster: CoreDNS forwards over TCP too, and the upstream answers on 53/tcp.
    expect(shell(m).run('dig +tcp +short example.com').stdout).toBe('93.184.215.14\n');
    // +notcp after ANY (which dig 9.18 asks over TCP by default) goes back to UDP.
    expect(shell(m).run('dig a.default.svc.cluster.local ANY').stdout).toContain('(TCP)\n');
    expect(shell(m).run('dig a.default.svc.cluster.local ANY +notcp').stdout).toContain('(UDP)\n');
    expect(shell(m).run('dig a.default.svc.cluster.local').stdout).toContain('(UDP)\n');
  });

  it('dig -p asks another port: nothing listens there on a CoreDNS pod, so UDP is refused three times, TCP fails to connect three times', () => {
    const m = model();
    const ip = dnsPod(m);
    const udp = shell(m).run(`dig @${ip} -p 5353 a.default.svc.cluster.local`);
    expect(udp.exitCode).toBe(9);
    expect(udp.stdout).toBe(`${`;; communications error to ${ip}#5353: connection refused\n`.repeat(3)}\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> @${ip} -p 5353 a.default.svc.cluster.local\n; (1 server found)\n;; global options: +cmd\n;; no servers could be reached\n`);
    expect(udp.flows![0]!.hops.at(-1)!.packet.headers.find((h) => h.kind === 'udp')).toMatchObject({ dport: 5353 });
    const tcp = shell(m).run(`dig @${ip} -p 5353 +tcp a.default.svc.cluster.local`);
    expect(tcp).toMatchObject({ exitCode: 9, stdout: `;; Connection to ${ip}#5353(${ip}) for a.default.svc.cluster.local failed: connection refused.\n;; no servers could be reached\n`.repeat(3) });
    expect(shell(m).run('dig -p 99999 a')).toMatchObject({ stdout: "invalid port number '99999': out of range\n", stderr: "dig: Couldn't parse port number\n", exitCode: 1 });
    // Port 53 given explicitly is the default.
    expect(shell(m).run(`dig @${ip} -p 53 +short a.default.svc.cluster.local`).stdout).toBe(`${ipOf(m, 'a')}\n`);
  });

  it('a class other than IN is asked as that class: CoreDNS answers a cluster name with IN records, which dig calls malformed; the upstream refuses CH', () => {
    const m = model();
    const r = shell(m).run('dig a.default.svc.cluster.local CH');
    expect(r.stdout.startsWith(';; Warning: Message parser reports malformed message packet.\n\n; <<>> DiG')).toBe(true);
    expect(r.stdout).toContain(';a.default.svc.cluster.local.\tCH\tA\n');
    expect(r.stdout).toContain(`a.default.svc.cluster.local. 30\tIN\tA\t${ipOf(m, 'a')}\n`);
    const flowQuestion = r.flows![0]!.hops[0]!.packet.payload.dns!.questions[0]!;
    expect(flowQuestion.class).toBe(3);
    const chaos = shell(m).run('dig -c CH -t TXT version.bind');
    expect(chaos.stdout).toContain('status: REFUSED');
    expect(chaos.stdout).toContain(';version.bind.\t\t\tCH\tTXT\n');
    expect(chaos.stdout).not.toContain('malformed');
    // Class ANY accepts records of any class.
    expect(shell(m).run('dig a.default.svc.cluster.local ANY -c ANY').stdout).not.toContain('malformed');
    // host and nslookup do not parse past the bad class: "Got bad packet" and the bytes, exit 1.
    const host = shell(m).run('host -c CH a.default.svc.cluster.local');
    expect(host.exitCode).toBe(1);
    expect(host.stdout).toMatch(/^;; Got bad packet: FORMERR\n\d+ bytes\n([0-9a-f]{2} ){16} {9}\S{16}\n/);
    expect(shell(m).run('nslookup -class=CH a').stdout).toContain(';; Got bad packet: FORMERR\n');
  });

  it('a zone transfer is TCP and refused by the kubernetes plugin: dig "; Transfer failed.", host -l REFUSED', () => {
    const m = model();
    const dig = shell(m).run('dig AXFR cluster.local');
    expect(dig.exitCode).toBe(0);
    expect(dig.stdout).toBe('\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> AXFR cluster.local\n;; global options: +cmd\n; Transfer failed.\n');
    expect(dig.flows![0]!.hops[0]!.packet.headers.find((h) => h.kind === 'tcp')).toBeDefined();
    const host = shell(m).run('host -l cluster.local.');
    expect(host).toMatchObject({ exitCode: 1, stdout: 'Host cluster.local not found: 5(REFUSED)\n; Transfer failed.\n' });
    expect(shell(m).run('nslookup -type=AXFR cluster.local.').stdout).toContain("** server can't find cluster.local: REFUSED\n; Transfer failed.\n");
  });

  it('host -v prints each reply as host.c does (no EDNS), "Trying" per search candidate; -a asks ANY verbosely; -T is TCP; bad options exit 2', () => {
    const m = model();
    const v = shell(m).run('host -v a');
    expect(v.exitCode).toBe(0);
    expect(v.stdout).toMatch(/^Trying "a\.default\.svc\.cluster\.local"\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: \d+\n;; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0\n\n;; QUESTION SECTION:\n;a\.default\.svc\.cluster\.local\.\tIN\tA\n\n;; ANSWER SECTION:\n/);
    expect(v.stdout).toMatch(/\nReceived \d+ bytes from \S+#53 in 0 ms\nTrying "a\.default\.svc\.cluster\.local"\n;; ->>HEADER<<-/);
    expect(v.stdout.match(/^Trying/gm)).toHaveLength(3); // A, AAAA, MX
    const nx = shell(m).run('host -v nosuch');
    expect(nx.stdout).toMatch(/^Trying "nosuch\.default\.svc\.cluster\.local"\nTrying "nosuch\.svc\.cluster\.local"\nTrying "nosuch\.cluster\.local"\nTrying "nosuch"\nHost nosuch not found: 3\(NXDOMAIN\)\n(Received \d+ bytes from \S+#53 in 0 ms\n){2}$/);
    const any = shell(m).run('host -a a.default.svc.cluster.local');
    expect(any.stdout).toContain(';a.default.svc.cluster.local.\tIN\tANY\n');
    expect(any.flows![0]!.hops[0]!.packet.headers.find((h) => h.kind === 'udp')).toBeDefined();
    const t = shell(m).run('host -T a.default.svc.cluster.local');
    expect(t.stdout).toBe(`a.default.svc.cluster.local has address ${ipOf(m, 'a')}\n`);
    expect(t.flows!.every((f) => f.hops[0]!.packet.headers.some((h) => h.kind === 'tcp'))).toBe(true);
    expect(shell(m).run('host -c XX a')).toMatchObject({ stderr: 'host: invalid class: XX\n', exitCode: 2 });
    // Options end at the name (ISC getopt does not permute): after it, "-t" is the server.
    expect(shell(m).run('host a -t SRV')).toMatchObject({ stderr: "host: couldn't get address for '-t': not found\n", exitCode: 1 });
    expect(shell(m).run('host -t XX a')).toMatchObject({ exitCode: 2 });
    expect(shell(m).run(`host -p 5353 a ${dnsPod(m)}`).stdout).toBe(`;; communications error to ${dnsPod(m)}#5353: connection refused\n`.repeat(2) + ';; no servers could be reached\n');
  });

  it('nslookup -vc asks over TCP, -port= another port (three tries when nobody answers), and reports a bad port as nslookup.c set_port', () => {
    const m = model();
    const vc = shell(m).run('nslookup -vc a');
    expect(vc.stdout).toContain(`Name:\ta.default.svc.cluster.local\nAddress: ${ipOf(m, 'a')}\n`);
    expect(vc.flows!.every((f) => f.hops[0]!.packet.headers.some((h) => h.kind === 'tcp'))).toBe(true);
    const ip = dnsPod(m);
    expect(shell(m).run(`nslookup -port=5353 a ${ip}`)).toMatchObject({ exitCode: 1, stdout: `${`;; communications error to ${ip}#5353: connection refused\n`.repeat(3)};; no servers could be reached\n\n` });
    expect(shell(m).run(`nslookup -vc -port=5353 a ${ip}`).stdout).toBe(`;; Connection to ${ip}#5353(${ip}) for a failed: connection refused.\n;; no servers could be reached\n`.repeat(3) + '\n');
    expect(shell(m).run('nslookup -port=abc a').stdout).toMatch(/^invalid port 'abc': not a valid number\nServer:/);
  });
});

describe('the Corefile', () => {
  it('a CoreDNS pod has the kubeadm Corefile at /etc/coredns/Corefile (its -conf); other pods do not', () => {
    const m = model();
    const coredns = m.pods.find((p) => p.labels['k8s-app'] === 'kube-dns')!;
    const r = createShell(m, { kind: 'pod', namespace: 'kube-system', name: coredns.name }).run('cat /etc/coredns/Corefile');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^\.:53 \{\n/);
    expect(r.stdout).toContain('    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n');
    expect(r.stdout).toContain('    forward . /etc/resolv.conf {\n');
    expect(shell(m).run('cat /etc/coredns/Corefile').exitCode).toBe(1);
  });
});

describe('a reply that does not fit UDP (40 ready endpoints behind a headless Service)', () => {
  const big = () => {
    const r = loadScenario(`${YAML}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: many}
spec:
  replicas: 40
  selector: {matchLabels: {app: many}}
  template:
    metadata: {labels: {app: many}}
    spec: {containers: [{name: w, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: many}
spec: {clusterIP: None, selector: {app: many}, ports: [{port: 80, name: http}]}
`);
    return r.model!;
  };
  const NAME = 'many.default.svc.cluster.local';
  const protocols = (r: { flows?: Flow[] }) => r.flows!.map((f) => (f.hops[0]!.packet.headers.some((h) => h.kind === 'tcp') ? 'tcp' : 'udp'));

  it('dig (EDNS 1232) gets all 40 over UDP; +noedns (512 bytes) gets TC, says so and asks again over TCP', () => {
    const m = big();
    const edns = shell(m).run(`dig ${NAME}`);
    expect(edns.stdout).toContain('ANSWER: 40, AUTHORITY: 0, ADDITIONAL: 1\n');
    expect(protocols(edns)).toEqual(['udp']);
    const plain = shell(m).run(`dig +noedns ${NAME}`);
    expect(plain.stdout).toMatch(/^;; Truncated, retrying in TCP mode\.\n\n; <<>> DiG /);
    expect(plain.stdout).toContain(';; flags: qr aa rd; QUERY: 1, ANSWER: 40, AUTHORITY: 0, ADDITIONAL: 0\n');
    expect(plain.stdout).not.toContain('OPT PSEUDOSECTION');
    expect(plain.stdout).toContain(`(10.96.0.10) (TCP)\n`);
    expect(protocols(plain)).toEqual(['udp', 'tcp']);
  });

  it('dig +ignore prints the truncated reply (tc flag, the records that fit); +short hides the comment', () => {
    const m = big();
    const cut = shell(m).run(`dig +noedns +ignore ${NAME}`);
    expect(cut.stdout).toContain(';; flags: qr aa tc rd; QUERY: 1, ANSWER: 29, AUTHORITY: 0, ADDITIONAL: 0\n');
    expect(protocols(cut)).toEqual(['udp']);
    const short = shell(m).run(`dig +noedns +short ${NAME}`);
    expect(short.stdout.split('\n').filter(Boolean)).toHaveLength(40);
    expect(short.stdout).not.toContain('Truncated');
    expect(shell(m).run(`dig +bufsize=4096 ${NAME}`).stdout).toContain('; EDNS: version: 0, flags:; udp: 4096\n');
  });

  it('nslookup and host send no EDNS: both retry over TCP, nslookup announcing it, host silently (comments off)', () => {
    const m = big();
    const ns = shell(m).run('nslookup many');
    expect(ns.stdout).toMatch(/^;; Truncated, retrying in TCP mode\.\nServer:\t\t10\.96\.0\.10\n/);
    expect(ns.stdout.match(/^Address: /gm)).toHaveLength(40);
    const host = shell(m).run('host -t A many');
    expect(host.stdout).not.toContain('Truncated');
    expect(host.stdout.match(/has address/g)).toHaveLength(40);
    expect(protocols(host)).toEqual(['udp', 'tcp']);
  });

  it('curl resolves through glibc: the truncated A reply is asked again over TCP, and that answer is the one curl uses', () => {
    const m = big();
    const r = shell(m).run('tcpdump -i eth0 -nn ; curl -s http://many/');
    // The reply is the 29 records that fill 512 bytes exactly (12 + 36 + 29 × 16), TC set; then a TCP connection to 53.
    expect(r.stdout).toMatch(/ > 10\.96\.0\.10\.53: UDP, length \d+\n.* 10\.96\.0\.10\.53 > [\d.]+: UDP, length 512\n.* > 10\.96\.0\.10\.53: Flags \[S\]/);
    const dns = r.flows!.filter((f) => /:53$/.test(f.to));
    expect(protocols({ flows: dns })).toEqual(['tcp']);
    expect(r.stdout).toMatch(/Hello from many-/);
  });
});

describe('dig +trace', () => {
  it('asks its server for the root NS set, then stops where dig does when no root server resolves (the simulated internet has none)', () => {
    const m = model();
    const r = shell(m).run('dig +trace a');
    expect(r.exitCode).toBe(10);
    expect(r.stdout).toMatch(/^\n; <<>> DiG [^\n]* <<>> \+trace a\n;; global options: \+cmd\n\.\t\t\t518400\tIN\tNS\ta\.root-servers\.net\.\n/);
    expect(r.stdout.match(/^couldn't get address for '[a-m]\.root-servers\.net': not found$/gm)).toHaveLength(13);
    expect(r.stderr).toMatch(/^dig: couldn't get address for 'a\.root-servers\.net': no more\nhopscope: dig \+trace walks down from the root servers/);
    // The root NS query, then one getaddrinfo per root server name, each a real flow to the cluster DNS.
    expect(r.flows![0]!.to).toBe('udp://10.96.0.10:53');
    expect(r.flows!.length).toBe(14);
  });
});

describe('nslookup without a name', () => {
  it('is its interactive mode, refused with a pointer to the one-line form instead of a usage line it never prints', () => {
    const m = model();
    for (const cmd of ['nslookup', 'nslookup -', 'nslookup -type=SRV', 'nslookup - 10.96.0.10']) {
      const r = shell(m).run(cmd);
      expect(r.exitCode, cmd).toBe(1);
      expect(r.stderr, cmd).toMatch(/^hopscope: nslookup without a name starts its interactive mode \("> " prompt\), which this terminal does not run; give the name on the line: nslookup NAME \[SERVER\]\n$/);
      expect(r.flows, cmd).toBeUndefined();
    }
  });
});
