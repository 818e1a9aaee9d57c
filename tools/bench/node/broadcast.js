// The Node.js peer of tools/bench/fanout_bench.cpp: a `ws` broadcast server doing the job duban
// serve's push does in the benchmark, the plain way. POST /publish with an event's JSON stamps it
// with the next position and the time (as duban stamps recorded_at when it appends) and
// sends it to every WebSocket client at /ws, one message per client per event. No persistence,
// no filters, no resume: the cheapest broadcast, to compare fan-out throughput and latency.
//
// usage: node broadcast.js [PORT]    (0 or none: a free port; prints "listening on http://...")
'use strict';
const http = require('http');
const { WebSocketServer } = require('ws');

let position = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/publish') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      position += 1;
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const message = JSON.stringify({
        type: 'event',
        position,
        recorded_at: new Date().toISOString(),
        ...event,
      });
      for (const client of wss.clients) {
        if (client.readyState === 1) client.send(message);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ position }));
    });
    return;
  }
  if (req.method === 'GET' && req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', clients: wss.clients.size, position }));
    return;
  }
  res.writeHead(404);
  res.end();
});
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });
wss.on('connection', (ws) => {
  ws.on('message', () => {});
  ws.on('error', () => {});
});
server.keepAliveTimeout = 60000;
server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
