#!/usr/bin/env python3
"""A stand-in for the ARGO Messaging Service REST API, for the transport tests only.

There is no installable AMS server, so this implements the three calls SSM uses, as the AMS
documentation describes them, on 127.0.0.1: POST .../topics/T:publish (messages with base64
data and attributes -> messageIds), POST .../subscriptions/S:pull (receivedMessages with
ackId, message{data, attributes, messageId, publishTime}) and POST
.../subscriptions/S:acknowledge (ackIds). Every call must carry the x-api-key header.
A subscription sees every message published to any topic of the same project.

usage: AMS_TOKEN=TOKEN ams_emulator.py PORT SECONDS  (exits when everything published was
acknowledged, or after SECONDS; the token comes from the environment, never the command line)
"""
import http.server
import json
import os
import sys
import time

PORT, SECONDS = int(sys.argv[1]), float(sys.argv[2])
TOKEN = os.environ["AMS_TOKEN"]
messages = []  # (id, message dict)
acked = set()


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("x-api-key") != TOKEN:
            return self.reply(401, {"error": {"code": 401, "message": "Unauthorized"}})
        path = self.path.split("?")[0]
        doc = json.loads(body or b"{}")
        if path.endswith(":publish"):
            ids = []
            for m in doc["messages"]:
                mid = str(len(messages) + 1)
                messages.append((mid, {"attributes": m.get("attributes", {}), "data": m["data"],
                                       "messageId": mid,
                                       "publishTime": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())}))
                ids.append(mid)
            return self.reply(200, {"messageIds": ids})
        if path.endswith(":pull"):
            n = int(doc.get("maxMessages", "1"))
            out = [{"ackId": f"{path.rsplit(':', 1)[0]}:{mid}", "message": m}
                   for mid, m in messages if mid not in acked][:n]
            return self.reply(200, {"receivedMessages": out})
        if path.endswith(":acknowledge"):
            for a in doc["ackIds"]:
                acked.add(a.rsplit(":", 1)[1])
            return self.reply(200, {})
        return self.reply(404, {"error": {"code": 404, "message": "not found"}})

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", PORT), Handler)
server.timeout = 0.5
end = time.time() + SECONDS
while time.time() < end and not (messages and len(acked) == len(messages)):
    server.handle_request()
print(json.dumps({"published": len(messages), "acknowledged": len(acked)}))
