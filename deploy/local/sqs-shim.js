// SQS emulator for tests: npm local-aws-sqs@2.0.2 behind a thin HTTP front that smooths two differences
// AWSSDK.SQS v4 trips over (see shared services.md §6):
//  1. an empty ReceiveMessage answer on the JSON protocol is a 200 with no body; the SDK wants a JSON object;
//  2. the emulator reads only the legacy `AttributeNames`, while the SDK sends `MessageSystemAttributeNames`.
// Started by deploy/local/services with NODE_PATH pointing at the folder holding the npm package.
// SQS_PORT picks the port (default 9324); SQS_SHIM=0 passes requests through untouched.
"use strict";

const http = require("http");
const { PassThrough } = require("stream");
const { createRequestHandler } = require("local-aws-sqs");

const port = Number(process.env.SQS_PORT || 9324);
const shimEnabled = process.env.SQS_SHIM !== "0";
const JSON_PROTOCOL = "application/x-amz-json-1.0";

// Reusing a queue name right after deleting it is what tests do, so the 60 s creation lifecycle is off.
const { requestHandler } = createRequestHandler({ port, hostname: "127.0.0.1", emulateQueueCreationLifecycle: false });

function rewriteRequest(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (parsed && parsed.MessageSystemAttributeNames && !parsed.AttributeNames) {
    parsed.AttributeNames = parsed.MessageSystemAttributeNames;
    return JSON.stringify(parsed);
  }
  return text;
}

function isEmpty(chunk) {
  return chunk === undefined || chunk === null || chunk === "" || (Buffer.isBuffer(chunk) && chunk.length === 0);
}

function handle(req, res) {
  const isJson = (req.headers["content-type"] || "").startsWith(JSON_PROTOCOL);
  const parts = [];
  req.on("data", (part) => parts.push(part));
  req.on("end", () => {
    let body = Buffer.concat(parts).toString("utf8");
    if (isJson && body.length > 0) {
      body = rewriteRequest(body);
    }

    // The emulator's handler reads a request stream; give it one carrying the (possibly rewritten) body.
    const forwarded = new PassThrough();
    forwarded.headers = { ...req.headers, "content-length": String(Buffer.byteLength(body)) };
    forwarded.method = req.method;
    forwarded.url = req.url;

    const originalEnd = res.end.bind(res);
    res.end = (chunk, ...rest) => {
      if (isJson && res.statusCode === 200 && isEmpty(chunk)) {
        return originalEnd("{}", ...rest);
      }
      return originalEnd(chunk, ...rest);
    };

    requestHandler(forwarded, res);
    forwarded.end(body);
  });
}

const server = http.createServer((req, res) => (shimEnabled ? handle(req, res) : requestHandler(req, res)));
server.listen(port, "127.0.0.1", () => console.log(`sqs emulator listening on 127.0.0.1:${port} (pid ${process.pid}, shim ${shimEnabled ? "on" : "off"})`));

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
