// The live push (docs/protocol.md) for one signed-in page: one WebSocket, one subscription, and
// the position of the last event or checkpoint received.
//
// Resume without loss or repeats: every event, checkpoint, caught_up and fell_behind carries a
// log position (docs/protocol.md); `position` is the highest one seen. After a dropped
// connection the page reconnects (back-off 0.5 s doubling to 15 s, with jitter) and subscribes
// `from` that position, so the server replays exactly what came after it. Events at or below
// `position` are ignored, so even a replay that overlapped could not show an event twice.
//
// States (shown in the top bar): connecting -> live -> (drop) -> reconnecting -> ... -> live;
// stopped after stop() (sign-out).

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 15000;

export class Live {
  // filter: {"unit": id} or {"all": true}. onEvent(event) for each new event, onState(state),
  // onResync() when the page must reload its data (its position is unknown to the server).
  constructor({ token, filter, onEvent, onState, onResync, onRevoked }) {
    this.token = token;
    this.onRevoked = onRevoked;
    this.filter = filter;
    this.onEvent = onEvent;
    this.onState = onState || (() => {});
    this.onResync = onResync || (() => {});
    this.position = null; // null: not subscribed yet, start from the head
    this.attempt = 0;
    this.stopped = false;
    this.ws = null;
    this.timer = null;
    this.state = 'offline';
    this.connects = 0;
  }

  start() { this.connect(); }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close(1000, 'signed out');
    this.setState('offline');
  }

  setState(state) {
    this.state = state;
    this.onState(state);
  }

  connect() {
    if (this.stopped) return;
    this.setState(this.connects === 0 ? 'connecting' : 'reconnecting');
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    // Browsers cannot set headers on a WebSocket: the token goes in the query (the server blanks
    // it in its request log).
    // Signed in by password (no token), the session cookie goes with the upgrade by itself.
    const query = this.token ? `?token=${encodeURIComponent(this.token)}` : '';
    const url = `${scheme}//${location.host}/ws${query}`;
    let ws;
    try {
      ws = new WebSocket(url, ['duban.json.v1']);
    } catch {
      return this.retry();
    }
    this.ws = ws;
    ws.onmessage = (m) => this.handle(ws, m.data);
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      // 1008: the server closed it because the token was revoked or the session ended.
      if (e.code === 1008 && this.onRevoked) return this.onRevoked(e.reason);
      if (!this.stopped) this.retry();
    };
    ws.onerror = () => {}; // onclose follows and retries
  }

  retry() {
    if (this.stopped) return;
    this.setState('reconnecting');
    const base = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** this.attempt);
    this.attempt += 1;
    const delay = base / 2 + Math.random() * (base / 2);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  send(ws, message) {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  }

  advance(position) {
    if (typeof position === 'number' && (this.position === null || position > this.position)) {
      this.position = position;
    }
  }

  handle(ws, data) {
    let m;
    try { m = JSON.parse(data); } catch { return; }
    switch (m.type) {
      case 'hello':
        this.send(ws, { type: 'subscribe', filter: this.filter, from: this.position });
        break;
      case 'subscribed':
        if (this.position === null) this.position = m.from;
        break;
      case 'caught_up':
        this.attempt = 0;
        this.connects += 1;
        this.advance(m.position);
        this.setState('live');
        break;
      case 'checkpoint':
      case 'fell_behind': // the replay continues from the store after this position
        this.advance(m.position);
        break;
      case 'event':
        if (this.position !== null && m.position <= this.position) return; // already shown
        this.advance(m.position);
        this.onEvent(m);
        break;
      case 'error':
        if (m.error === 'from_ahead') {
          // The server's log is not the one this page followed (a new database): start over.
          this.position = null;
          this.onResync();
          this.send(ws, { type: 'subscribe', filter: this.filter, from: null });
        } else {
          console.warn('duban push error', m.error, m.message);
        }
        break;
      default:
        break; // pong, unsubscribed: nothing to do
    }
  }
}
