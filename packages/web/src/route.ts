// Hash routing (#/, #/node/NAME, #/what-if): links work from a static file server and survive reloads.
import { useEffect, useState } from 'preact/hooks';

export type Route = { view: 'fleet' } | { view: 'node'; name: string } | { view: 'what-if' };

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#/, '');
  const node = /^\/node\/(.+)$/.exec(h);
  if (node?.[1] !== undefined) return { view: 'node', name: decodeURIComponent(node[1]) };
  if (h === '/what-if') return { view: 'what-if' };
  return { view: 'fleet' };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const nodeHref = (name: string) => `#/node/${encodeURIComponent(name)}`;
