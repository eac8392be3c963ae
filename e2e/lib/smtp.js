'use strict';
// A small SMTP receiver on 127.0.0.1, for the browser tests only (issue 12): enough SMTP for
// Mend's mail (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS, no AUTH). It keeps every
// message it is given.

const net = require('node:net');

async function startSmtpSink() {
  const messages = [];
  const server = net.createServer((socket) => {
    let buffer = '';
    let inData = false;
    let data = [];
    let to = [];
    socket.write('220 sink.test ESMTP test-only\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let at;
      while ((at = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push({ to, data: data.join('\n') });
            data = [];
            socket.write('250 OK queued\r\n');
          } else {
            data.push(line.startsWith('.') ? line.slice(1) : line);
          }
          continue;
        }
        const upper = line.toUpperCase();
        if (upper.startsWith('EHLO')) socket.write('250-sink.test\r\n250 8BITMIME\r\n');
        else if (upper.startsWith('HELO')) socket.write('250 sink.test\r\n');
        else if (upper.startsWith('MAIL FROM:')) { to = []; socket.write('250 OK\r\n'); }
        else if (upper.startsWith('RCPT TO:')) {
          to.push(line.slice(8).trim().replace(/^<|>$/g, ''));
          socket.write('250 OK\r\n');
        } else if (upper === 'DATA') { inData = true; socket.write('354 go on\r\n'); }
        else if (upper === 'RSET' || upper === 'NOOP') socket.write('250 OK\r\n');
        else if (upper === 'QUIT') { socket.end('221 bye\r\n'); }
        else socket.write('502 not here\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** Waits for a message to `address` whose text matches `pattern`; gives the match. */
    async waitFor(address, pattern, timeout = 15_000) {
      const end = Date.now() + timeout;
      while (Date.now() < end) {
        for (const m of messages) {
          const found = m.to.includes(address) && m.data.match(pattern);
          if (found) return found;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no message to ${address} matching ${pattern}`);
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

module.exports = { startSmtpSink };
