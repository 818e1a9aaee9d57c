#!/usr/bin/python3
"""An SMTP sink for tests/notify: Debian's aiosmtpd on 127.0.0.1, on a port the kernel picks.

usage: smtp_sink.py OUT.jsonl [CERT.pem KEY.pem]

With a certificate and key the sink offers STARTTLS and requires it before MAIL. Prints
"port <n>" once listening. Every message accepted is decoded with Python's own e-mail
library (an implementation independent of duban's encoder) and appended to OUT.jsonl as one JSON
object per line: envelope sender and recipients, the decoded Subject, From, To, Message-ID,
X-Duban-Idempotency-Key, X-Duban-Event, the decoded text body, and whether the session was under TLS. Runs until killed.
"""
import asyncio
import email
import email.header
import email.policy
import json
import socket
import ssl
import sys

from aiosmtpd.smtp import SMTP


def decoded(value):
    if value is None:
        return None
    return str(email.header.make_header(email.header.decode_header(value)))


class Handler:
    def __init__(self, path):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode()
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
        body = message.get_payload(decode=True) or b""
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "subject": decoded(message.get("Subject")),
            "from": decoded(message.get("From")),
            "to": decoded(message.get("To")),
            "message_id": message.get("Message-ID"),
            "key": decoded(message.get("X-Duban-Idempotency-Key")),
            "event": message.get("X-Duban-Event"),
            "content_type": message.get_content_type(),
            "charset": message.get_content_charset(),
            "body": body.decode(message.get_content_charset() or "utf-8"),
            "tls": session.ssl is not None,
        }
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 OK"


async def main(path, cert=None, key=None):
    tls = None
    if cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(cert, key)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    loop = asyncio.get_running_loop()
    handler = Handler(path)
    server = await loop.create_server(lambda: SMTP(handler, decode_data=False, tls_context=tls, require_starttls=tls is not None), sock=sock)
    print("port", sock.getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
