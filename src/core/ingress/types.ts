/**
 * Ingress and IngressClass (networking.k8s.io/v1) as the scenario carries them: the API's own
 * field names, every field optional because input is checked, not trusted (ingress/validate.ts).
 */
import type { ObjectMeta } from '../k8s/types';

export interface IngressServiceBackend {
  name?: string;
  port?: { number?: number; name?: string };
}

export interface IngressBackend {
  service?: IngressServiceBackend;
  resource?: { apiGroup?: string; kind?: string; name?: string };
}

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface HttpIngressPath {
  path?: string;
  pathType?: PathType;
  backend?: IngressBackend;
}

export interface IngressRule {
  host?: string;
  http?: { paths?: HttpIngressPath[] };
}

export interface IngressTls {
  hosts?: string[];
  secretName?: string;
}

export interface Ingress {
  apiVersion?: string;
  kind: 'Ingress';
  metadata: ObjectMeta;
  spec?: { ingressClassName?: string; defaultBackend?: IngressBackend; tls?: IngressTls[]; rules?: IngressRule[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface IngressClass {
  apiVersion?: string;
  kind: 'IngressClass';
  metadata: ObjectMeta;
  spec?: { controller?: string };
}
