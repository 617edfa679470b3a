import { describe, expect, it } from 'vitest';
import type { Ingress } from './types';
import { buildRouteTable } from './controller';
import { hostMatches, prefixMatches, routeRequest } from './routing';

const be = (name: string, port = 80) => ({ service: { name, port: { number: port } } });
const ing = (name: string, spec: Ingress['spec']): Ingress => ({ kind: 'Ingress', metadata: { name, namespace: 'default' }, spec });

const table = buildRouteTable([
  ing('shop', {
    ingressClassName: 'nginx',
    defaultBackend: be('fallback'),
    rules: [
      {
        host: 'shop.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: be('web') },
            { path: '/api', pathType: 'Prefix', backend: be('api') },
            { path: '/api/v2', pathType: 'ImplementationSpecific', backend: be('api-v2') },
            { path: '/api/login', pathType: 'Prefix', backend: be('login-prefix') },
            { path: '/api/login', pathType: 'Exact', backend: be('login-exact') },
          ],
        },
      },
    ],
  }),
  ing('wild', { rules: [{ host: '*.apps.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('apps') }] } }, { http: { paths: [{ path: '/status', pathType: 'Exact', backend: be('status') }] } }] }),
]);

function backend(host: string, path: string): string {
  const d = routeRequest(table, host, path);
  if (d.kind === 'route') return d.route.backend.service!.name!;
  if (d.kind === 'default') return `default:${d.backend.service!.name}`;
  return '404';
}

describe('Ingress path matching', () => {
  it('Prefix is element-wise on "/" with the trailing slash ignored', () => {
    expect(prefixMatches('/aaa/bbb', '/aaa/bbb')).toBe(true);
    expect(prefixMatches('/aaa/bbb', '/aaa/bbb/')).toBe(true);
    expect(prefixMatches('/aaa/bbb', '/aaa/bbb/ccc')).toBe(true);
    expect(prefixMatches('/aaa/bbb', '/aaa/bbbxyz')).toBe(false);
    expect(prefixMatches('/aaa/bbb/', '/aaa/bbb')).toBe(true);
    expect(prefixMatches('/aaa/bb', '/aaa/bbb')).toBe(false);
    expect(prefixMatches('/', '/anything/at/all')).toBe(true);
  });

  it('the longest matching path wins, whatever the YAML order', () => {
    expect(backend('shop.example.com', '/')).toBe('web');
    expect(backend('shop.example.com', '/cart')).toBe('web');
    expect(backend('shop.example.com', '/api')).toBe('api');
    expect(backend('shop.example.com', '/api/items?id=3')).toBe('api');
    expect(backend('shop.example.com', '/apiary')).toBe('web');
    expect(backend('shop.example.com', '/api/v2/x')).toBe('api-v2'); // ImplementationSpecific as Prefix
  });

  it('on equal length Exact beats Prefix; Exact needs the whole string', () => {
    expect(backend('shop.example.com', '/api/login')).toBe('login-exact');
    expect(backend('shop.example.com', '/api/login/')).toBe('login-prefix');
    expect(backend('shop.example.com', '/api/login/x')).toBe('login-prefix');
  });
});

describe('Ingress host matching and defaults', () => {
  it('a wildcard host matches exactly one extra label', () => {
    expect(hostMatches('*.foo.com', 'bar.foo.com')).toBe(true);
    expect(hostMatches('*.foo.com', 'baz.bar.foo.com')).toBe(false);
    expect(hostMatches('*.foo.com', 'foo.com')).toBe(false);
    expect(backend('a.apps.example.com', '/x')).toBe('apps');
    expect(backend('SHOP.example.com:443', '/')).toBe('web');
  });

  it('unknown hosts use the rules without a host, then the defaultBackend', () => {
    expect(backend('203.0.113.9', '/status')).toBe('status');
    expect(backend('other.example.org', '/')).toBe('default:fallback');
  });

  it('with no rule and no defaultBackend the controller answers 404', () => {
    const t = buildRouteTable([ing('a', { rules: [{ host: 'a.example.com', http: { paths: [{ path: '/app', pathType: 'Exact', backend: be('app') }] } }] })]);
    expect(routeRequest(t, 'a.example.com', '/app/').kind).toBe('not-found');
    expect(routeRequest(t, 'b.example.com', '/app').kind).toBe('not-found');
  });
});
