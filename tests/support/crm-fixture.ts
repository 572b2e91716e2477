import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fixture received, as it arrived. */
export interface CrmRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
}

export interface CrmFixture {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly requests: CrmRequest[];
  /** Resolves at the next request whose path is `path` (any when omitted). */
  nextRequest(path?: string): Promise<CrmRequest>;
  close(): Promise<void>;
}

export interface CrmPerson {
  name: string;
  company?: string;
  link?: string;
}

/**
 * A small CRM lookup server for the tests (issue 18), on loopback:
 * - `/lookup?n=NUMBER` JSON `{data: {contact: {name, company, url}}}` for a known number, 404 otherwise;
 * - `/text?n=NUMBER` the name as plain text;
 * - `/big` an answer over 256 KB, `/notjson` HTML, `/slow` never answers (until closed),
 *   `/away` redirects to another host (`redirectTo`), `/moved?n=` redirects to `/lookup` on itself.
 */
export async function startCrmFixture(people: Record<string, CrmPerson>, redirectTo = 'http://127.0.0.2:9/lookup'): Promise<CrmFixture> {
  const requests: CrmRequest[] = [];
  const waiters: { path: string | undefined; resolve: (r: CrmRequest) => void }[] = [];
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const record: CrmRequest = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers };
    requests.push(record);
    for (const w of [...waiters]) {
      if (w.path === undefined || w.path === record.path) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(record);
      }
    }
    const person = people[url.searchParams.get('n') ?? ''];
    switch (url.pathname) {
      case '/lookup':
        if (!person) return void res.writeHead(404).end();
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ data: { contact: { name: person.name, company: person.company, url: person.link } } }));
      case '/text':
        if (!person) return void res.writeHead(404).end();
        return void res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(`${person.name}\n`);
      case '/big':
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'Too Big', pad: 'x'.repeat(300 * 1024) }));
      case '/big-chunked': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(`{"name":"Too Big","pad":"`);
        for (let i = 0; i < 300; i++) res.write('x'.repeat(1024));
        return void res.end('"}');
      }
      case '/notjson':
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Mario Rossi</body></html>');
      case '/slow':
        hanging.add(res);
        return;
      case '/away':
        return void res.writeHead(302, { location: `${redirectTo}?n=${encodeURIComponent(url.searchParams.get('n') ?? '')}` }).end();
      case '/moved':
        return void res.writeHead(301, { location: `/lookup?n=${encodeURIComponent(url.searchParams.get('n') ?? '')}` }).end();
      default:
        return void res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    nextRequest: (path) => new Promise((resolve) => waiters.push({ path, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
