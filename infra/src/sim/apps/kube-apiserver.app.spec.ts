import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { processTls } from '../api/tls';
import { parseImage } from './app-model';
import { kubeApiServerApp } from './kube-apiserver.app';
import { checkHostName, parsePemChain, verifyChain } from './tls-certificate';

function started() {
  return kubeApiServerApp.start(['kube-apiserver', '--advertise-address=172.18.0.2'], {
    image: parseImage('registry.k8s.io/kube-apiserver:v1.33.1'),
    env: {},
    hostname: 'kube-apiserver-kind-control-plane',
    podIP: '172.18.0.2',
    stdin: false,
    tty: false,
    now: () => Date.now(),
  });
}

describe(kubeApiServerApp.name, () => {
  it("should listen with TLS on the node's :6443 and answer plain HTTP with Go's 400", () => {
    const sut = started();

    expect(sut.listeners).toHaveLength(1);
    expect(sut.listeners[0]).toMatchObject({ address: '0.0.0.0', port: 6443, protocol: 'TCP' });
    expect(sut.listeners[0]!.tls?.plainHttp).toBe('go');
  });

  it("should serve a certificate the Pods' ca.crt verifies, with kubeadm's subjectAltNames", () => {
    const chain = parsePemChain(started().listeners[0]!.tls!.chainPem);
    const ca = new X509Certificate(processTls().caCert);

    expect(verifyChain(chain, [ca], new Date())).toBeUndefined();
    for (const name of [
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
      'kind-control-plane',
      'localhost',
    ])
      expect(checkHostName(chain[0]!, name, false), name).toHaveProperty('matched');
    for (const ip of ['10.96.0.1', '172.18.0.2', '127.0.0.1'])
      expect(checkHostName(chain[0]!, ip, true), ip).toHaveProperty('matched');
    expect(checkHostName(chain[0]!, 'web.shop.svc', false)).toHaveProperty('error');
  });
});
