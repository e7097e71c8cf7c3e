import { signServingCert } from '../api/tls';
import { KUBERNETES_SERVICE_IP } from '../runtime/system-manifests';
import type { AppListener, AppModel } from './app-model';
import { flagValue } from './app-model';

/** The port kubeadm's kube-apiserver serves on (`--secure-port`), on the node's network. */
export const KUBE_APISERVER_PORT = 6443;

const certs = new Map<string, string>();

/**
 * kubeadm's apiserver.crt subjectAltNames: the node name, the `kubernetes` Service names, its
 * ClusterIP and the advertise address; kind adds localhost and 127.0.0.1.
 */
export function apiServerNames(nodeName: string, nodeIp: string): string[] {
  return [
    nodeName,
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    'localhost',
    KUBERNETES_SERVICE_IP,
    ...(nodeIp ? [nodeIp] : []),
    '127.0.0.1',
  ];
}

/** The serving certificate for one control-plane node, signed by the cluster CA (made once per node). */
export function apiServerCertificate(nodeName: string, nodeIp: string): string {
  const key = `${nodeName}|${nodeIp}`;
  let pem = certs.get(key);
  if (!pem) {
    pem = signServingCert(apiServerNames(nodeName, nodeIp)).certPem;
    certs.set(key, pem);
  }
  return pem;
}

/**
 * kube-apiserver's static pod: a TLS socket on the node's :6443 (hostNetwork), which the
 * `default/kubernetes` Service leads to. Its HTTP is answered by the sim's own API server (the
 * dataplane hands requests on this socket to it), not by this model.
 */
export const kubeApiServerApp: AppModel = {
  name: 'kube-apiserver',
  matches: (i) => /(^|\/)kube-apiserver$/.test(i.repository),
  entrypoint: [],
  cmd: [],
  start(argv, ctx) {
    const nodeIp = flagValue(argv, '--advertise-address') ?? ctx.podIP;
    const nodeName = ctx.hostname.replace(/^kube-apiserver-/, '');
    const listener: AppListener = {
      address: '0.0.0.0',
      port: KUBE_APISERVER_PORT,
      protocol: 'TCP',
      tls: { chainPem: apiServerCertificate(nodeName, nodeIp), plainHttp: 'go' },
    };
    return {
      listeners: [listener],
      processes: [{ user: 'root', command: argv.join(' ') || 'kube-apiserver' }],
      startupLogs: [],
      handlesSigterm: true,
    };
  },
};
