/**
 * Ingress (spec/dns-and-ingress.md §5–6): Ingress/IngressClass types (`types.ts`), API-server
 * and controller-time validation with positions (`validate.ts`), the routing decision — host,
 * longest path, Exact over Prefix, default backend, 404 (`routing.ts`) — and an ingress-nginx
 * controller as add-on objects plus its synced state (`controller.ts`). The two legs of a
 * request are walked by simulate/request.ts.
 *
 * Contract: pure and total; routing never looks at packets and never throws.
 * May import: k8s and scenario types, dns/cluster-dns (to publish hosts), util.
 */
export type { Ingress, IngressBackend, IngressClass, PathType } from './types';
export { hostProblem, validateIngress } from './validate';
export type { Route, RouteDecision, RouteTable } from './routing';
export { hostMatches, pathMatches, prefixMatches, routeRequest, selectServer } from './routing';
export type { IngressState } from './controller';
export { backendEndpoints, buildRouteTable, controllerServiceType, getIngressState, servedByNginx } from './controller';
