import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portProtoHash } from '../../src/sim/dataplane/kube-proxy-rules';
import { eventually, KUBECTL, rows, startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

/** Types into `kubectl debug -it` under `script`, one line per prompt; prints what the terminal showed. */
const TTY_DRIVER = `
import { spawn } from 'node:child_process';
const child = spawn('script', ['-qfec', process.env.KUBECTL_CMD, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
let out = '';
child.stdout.on('data', (d) => (out += d));
child.stderr.on('data', (d) => (out += d));
const wait = async (end) => {
  const deadline = Date.now() + 60000;
  while (!out.endsWith(end)) {
    if (Date.now() > deadline) { process.stdout.write(out); process.exit(1); }
    await new Promise((r) => setTimeout(r, 50));
  }
};
await wait('/ # ');
// The shell's first prompt can arrive before kubectl has put the terminal in raw mode.
await new Promise((r) => setTimeout(r, 1000));
child.stdin.write('chroot /host\\r');
await wait('\\n# ');
child.stdin.write('hostname; iptables -t nat -L KUBE-SERVICES -n | head -3\\r');
await wait('\\n# ');
child.stdin.write('exit\\r');
await wait('\\n/ # ');
child.stdin.write('exit\\r');
await new Promise((r) => child.on('close', r));
process.stdout.write(out);
`;

/**
 * The node's view (`kubectl debug node/NAME`, then `chroot /host`) and kube-proxy's own: the rules
 * kube-proxy 1.33 programs in iptables mode, kindnet's routes, containerd's pods, conntrack; and a
 * kube-proxy that stops leaving its rules behind.
 */
describe("the node's view through kubectl debug node", { timeout: 180_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 90_000 });
  /** Runs a script in a fresh node debug pod on conf-worker (busybox, sysadmin profile unless given). */
  const onNode = (script: string, profile = 'sysadmin') =>
    k(
      'debug',
      'node/conf-worker',
      '-i',
      '--quiet',
      `--profile=${profile}`,
      '--image=busybox:1.36',
      '--',
      'sh',
      '-c',
      script,
    );
  const svcChain = `KUBE-SVC-${portProtoHash('default/web', 'tcp')}`;

  beforeAll(async () => {
    sut = await startRuntimeWorld();
    await k('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3');
    await k('expose', 'deployment', 'web', '--port=80', '--type=NodePort');
    await k('create', 'service', 'clusterip', 'empty', '--tcp=8080:8080');
    await k('run', 'client', '--image=busybox:1.36', '--', 'sleep', '3600');
    const ready = await k('wait', '--for=condition=Ready', 'pod', '--all', '--timeout=90s');
    expect(ready.code).toBe(0);
  }, 120_000);
  afterAll(() => sut?.stop());

  it("should show kube-proxy's KUBE-SERVICES and the Service's chain with iptables -L", async () => {
    const vip = (await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    const r = await onNode(
      `chroot /host iptables -t nat -L KUBE-SERVICES -n; chroot /host iptables -t nat -L ${svcChain} -n`,
    );

    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Chain KUBE-SERVICES (2 references)\ntarget     prot opt source               destination         \n',
    );
    expect(r.stdout).toContain(
      `${svcChain}  tcp  --  0.0.0.0/0            ${vip.padEnd(19)}  /* default/web cluster IP */ tcp dpt:80\n`,
    );
    expect(r.stdout).toContain(
      'KUBE-SVC-NPX46M4PTMTKRN6Y  tcp  --  0.0.0.0/0            10.96.0.1            /* default/kubernetes:https cluster IP */ tcp dpt:443\n',
    );
    expect(r.stdout).toMatch(
      /KUBE-NODEPORTS {2}all {2}-- {2}0\.0\.0\.0\/0 {12}0\.0\.0\.0\/0 {12}\/\* kubernetes service nodeports; NOTE: this must be the last rule in this chain \*\/ ADDRTYPE match dst-type LOCAL\n/,
    );
    const sepLines = r.stdout.split('\n').filter((l) => l.startsWith('KUBE-SEP-'));
    expect(sepLines).toHaveLength(3);
    expect(sepLines[0]).toMatch(
      /\/\* default\/web -> 10\.244\.\d+\.\d+:80 \*\/ statistic mode random probability 0\.33333333349$/,
    );
    expect(sepLines[1]).toMatch(/statistic mode random probability 0\.50000000000$/);
    expect(sepLines[2]).toMatch(/\/\* default\/web -> 10\.244\.\d+\.\d+:80 \*\/$/);
  });

  it('should open the node shell with chroot /host in an interactive kubectl debug session and come back on exit', async () => {
    // util-linux `script` gives kubectl the terminal `-it` needs (as the lab toolbox does). It is
    // driven from its own node process: typed keys did not reach it when spawned from the worker.
    const child = spawn(process.execPath, ['--input-type=module', '-e', TTY_DRIVER], {
      env: {
        ...sut.env,
        KUBECTL_CMD: `stty cols 120 rows 40; ${KUBECTL} debug node/conf-worker -it --profile=sysadmin --image=busybox:1.36`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));

    expect(code, out).toBe(0);
    expect(out).toContain(
      '/ # chroot /host\r\n# hostname; iptables -t nat -L KUBE-SERVICES -n | head -3\r\nconf-worker\r\nChain KUBE-SERVICES (2 references)\r\n',
    );
    expect(out).toContain('# exit\r\n/ # exit\r\n');
  });

  it('should print the rules in restore format with iptables-save, the no-endpoints REJECT in the filter table', async () => {
    const np = (await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}')).stdout;
    const r = await onNode('chroot /host iptables-save');

    expect(r.stdout).toMatch(/^# Generated by iptables-save v1\.8\.9 \(nf_tables\) on /);
    expect(r.stdout).toMatch(
      /-A KUBE-SERVICES -d 10\.\d+\.\d+\.\d+\/32 -p tcp -m comment --comment "default\/empty:8080-8080 has no endpoints" -m tcp --dport 8080 -j REJECT --reject-with icmp-port-unreachable\n/,
    );
    expect(r.stdout).toContain(
      `-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web" -m tcp --dport ${np} -j KUBE-EXT-${portProtoHash('default/web', 'tcp')}\n`,
    );
    expect(r.stdout).toMatch(
      /-A KUBE-SEP-[A-Z2-7]{16} -p tcp -m comment --comment "default\/web" -m tcp -j DNAT --to-destination 10\.244\.\d+\.\d+:80\n/,
    );
    expect(r.stdout).toContain('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n');
  });

  it('should refuse the rules to the default (legacy) profile, which lacks CAP_NET_ADMIN', async () => {
    const r = await onNode('chroot /host iptables-save; echo rc=$?', 'legacy');

    // The container's stderr reaches the terminal through the attach (or the logs kubectl falls back to).
    expect(r.stdout).toContain('rc=4');
    expect(r.stdout + r.stderr).toContain(
      'iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)',
    );
  });

  it("should show the node's routes, processes and containerd's pods", async () => {
    const r = await onNode(
      'ls /host; chroot /host ip route; chroot /host ps aux; chroot /host crictl ps; chroot /host crictl pods; chroot /host hostname',
    );

    expect(r.stdout).toMatch(/^etc\n/);
    expect(r.stdout).toContain('default via 172.18.0.1 dev eth0 \n');
    expect(r.stdout).toMatch(/10\.244\.0\.0\/24 via 172\.18\.0\.\d+ dev eth0 \n/);
    expect(r.stdout).toMatch(/10\.244\.1\.\d+ dev veth[0-9a-f]{8} scope host \n/);
    expect(r.stdout).toContain(
      'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n',
    );
    expect(r.stdout).toMatch(/root +1 .* \/sbin\/init\n/);
    expect(r.stdout).toMatch(/\/usr\/bin\/kubelet --bootstrap-kubeconfig=.* --node-ip=172\.18\.0\.\d+ /);
    expect(r.stdout).toContain('/usr/local/bin/containerd\n');
    expect(r.stdout).toContain('nginx: master process nginx -g daemon off;\n');
    expect(r.stdout).toMatch(
      /CONTAINER {11}IMAGE {15}CREATED +STATE {15}NAME +ATTEMPT +POD ID +POD +NAMESPACE\n/,
    );
    expect(r.stdout).toMatch(/ Running +nginx +0 +[0-9a-f]{13} +web-[a-z0-9]+-[a-z0-9]{5} +default\n/);
    expect(r.stdout).toMatch(/ Ready +kube-proxy-[a-z0-9]{5} +kube-system +0 +\(default\)\n/);
    expect(r.stdout).toMatch(/\nconf-worker\n$/);
  });

  it('should list a connection through the Service VIP in conntrack -L', async () => {
    const vip = (await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    await k('exec', 'client', '--', 'wget', '-qO-', `http://${vip}/`);
    const r = await onNode(`chroot /host conntrack -L -d ${vip}`);

    expect(r.stdout).toMatch(
      new RegExp(
        `^tcp {6}6 1\\d\\d TIME_WAIT src=10\\.244\\.1\\.\\d+ dst=${vip.replace(/\./g, '\\.')} sport=\\d+ dport=80 src=10\\.244\\.1\\.\\d+ dst=10\\.244\\.1\\.\\d+ sport=80 dport=\\d+ \\[ASSURED\\] mark=0 use=1\\n`,
      ),
    );
    expect(r.stdout + r.stderr).toContain(
      'conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.',
    );
  });

  it('should ship iptables-save in the kube-proxy container, which sees the node it runs on', async () => {
    const r = await k('-n', 'kube-system', 'exec', 'ds/kube-proxy', '--', 'iptables-save', '-t', 'nat');

    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Generated by iptables-save v1\.8\.9 \(nf_tables\) on .*\n\*nat\n/);
    expect(r.stdout).toContain(
      '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU\n',
    );
    const shell = await k('-n', 'kube-system', 'exec', 'ds/kube-proxy', '--', 'sh');
    expect(shell.stderr).toContain('exec: "sh": executable file not found in $PATH');
  });

  it("should list kubeadm's and kindnet's ClusterRoleBindings as kind 1.33 does", async () => {
    const names = rows((await k('get', 'clusterrolebindings')).stdout).map((r) => `${r[0]} ${r[1]}`);

    expect(names).toEqual(
      expect.arrayContaining([
        'kindnet ClusterRole/kindnet',
        'kubeadm:get-nodes ClusterRole/kubeadm:get-nodes',
        'kubeadm:kubelet-bootstrap ClusterRole/system:node-bootstrapper',
        'kubeadm:node-autoapprove-bootstrap ClusterRole/system:certificates.k8s.io:certificatesigningrequests:nodeclient',
        'kubeadm:node-autoapprove-certificate-rotation ClusterRole/system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
        'kubeadm:node-proxier ClusterRole/system:node-proxier',
        'system:node ClusterRole/system:node',
        'system:controller:endpointslice-controller ClusterRole/system:controller:endpointslice-controller',
        'system:kube-controller-manager ClusterRole/system:kube-controller-manager',
      ]),
    );
  });

  it("should keep a stopped kube-proxy's rules: old Services still work, a new one is not programmed", async () => {
    await k(
      '-n',
      'kube-system',
      'patch',
      'ds',
      'kube-proxy',
      '-p',
      '{"spec":{"template":{"spec":{"nodeSelector":{"nope":"true"}}}}}',
    );
    await eventually(
      async () =>
        (await k('-n', 'kube-system', 'get', 'pods', '-l', 'k8s-app=kube-proxy', '-o', 'name')).stdout === '',
      'kube-proxy pods gone',
      60_000,
    );
    await k('create', 'service', 'clusterip', 'late', '--tcp=80:80');
    await k('set', 'selector', 'service', 'late', 'app=web');
    const late = (await k('get', 'svc', 'late', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    const old = await k('exec', 'client', '--', 'wget', '-qO-', '-T', '2', 'http://web/');
    expect(old.stdout).toContain('Welcome to nginx!');
    const fresh = await k('exec', 'client', '--', 'wget', '-qO-', '-T', '2', `http://${late}/`);
    expect(fresh.code).not.toBe(0);
    expect(fresh.stderr).toContain('wget: download timed out');
    const rules = await onNode('chroot /host iptables-save -t nat');
    expect(rules.stdout).toContain('"default/web cluster IP"');
    expect(rules.stdout).not.toContain('default/late');
  });
});
