// A small stand-in for an application: a client for a remote service, with a leak in it.
const { EventEmitter } = require('node:events');

/** Lives as long as the process, like a real app's event bus. */
const bus = new EventEmitter();
bus.setMaxListeners(0);

class RemoteService {
  constructor(host) {
    this.host = host;
  }

  connect() {
    const receiveBuffer = Buffer.alloc(48_000_000);
    // The bug: each connection listens on the app-wide bus and never stops, so its buffer is never freed.
    bus.on('shutdown', () => receiveBuffer.fill(0));
    return true;
  }

  parse(payload) {
    return payload.split('\n').map((line) => line.split(',')).length;
  }
}

module.exports = { RemoteService, bus };
