// SQS emulator for tests: npm local-aws-sqs@2.0.2 behind a thin HTTP front. Every change below makes the emulator
// do what SQS does (each names the SQS behaviour and its AWS documentation); none makes it kinder than SQS, except
// the queue re-creation window, which is shortened or off only when asked (SQS_QUEUE_LIFECYCLE, below).
//
// Protocol differences AWSSDK.SQS v4 trips over:
//  1. an empty ReceiveMessage answer on the JSON protocol is a 200 with no body; SQS answers a JSON object
//     (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html#API_ReceiveMessage_ResponseSyntax);
//  2. the emulator reads only the legacy `AttributeNames`; SQS reads `MessageSystemAttributeNames`, which the SDK sends
//     (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html#SQS-ReceiveMessage-request-MessageSystemAttributeNames);
//  3. MD5OfMessageAttributes over UTF-8 byte lengths, as SQS computes it (md5OfMessageAttributes below;
//     https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation).
// Source fixes to the emulator's counting and waiting: EMULATOR_FIXES below, each with its SQS reference.
//
// Queue deletion: SQS refuses CreateQueue for a name deleted less than 60 s ago (QueueDeletedRecently,
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html and
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html). Tests reuse names at
// once, so by default that lifecycle is off; SQS_QUEUE_LIFECYCLE=1 turns it on, and SQS_QUEUE_DELETE_SECONDS (default
// 60, as SQS) sets how long a deleted name stays refused (also how long PurgeQueue takes, up to 60 s on SQS), so the
// transport's retry of the refusal is tested in seconds.
//
// Started by deploy/local/services with NODE_PATH pointing at the folder holding the npm package.
// SQS_PORT picks the port (default 9324); SQS_SHIM=0 passes requests through untouched (and loads the emulator as is).
"use strict";

const crypto = require("crypto");
const fs = require("fs");
const http = require("http");
const Module = require("module");
const path = require("path");
const { PassThrough } = require("stream");

const port = Number(process.env.SQS_PORT || 9324);
const shimEnabled = process.env.SQS_SHIM !== "0";
const JSON_PROTOCOL = "application/x-amz-json-1.0";

// Where local-aws-sqs 2.0.2 departs from SQS in ways a transport's tests can see, as [what, from, to] in its bundled
// dist/index.js. A fix whose text is not found (another package version) is reported and skipped.
const EMULATOR_FIXES = [
  [
    // SQS counts receives only (ApproximateReceiveCount: "the number of times a message has been received across all
    // queues but not deleted", https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html);
    // the emulator also counted every ChangeMessageVisibility (a nack or lease
    // extension), so delivery counts jumped and redrive fired early. Its third argument is "visibility change".
    "ApproximateReceiveCount counts receives only",
    "let n=Number(t.record.attributes.ApproximateReceiveCount)+1;",
    "let n=Number(t.record.attributes.ApproximateReceiveCount)+(i?0:1);",
  ],
  [
    // SQS's ApproximateNumberOfMessages is the visible messages; in-flight ones are ApproximateNumberOfMessagesNotVisible
    // (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html); the
    // emulator added the in-flight ones.
    "ApproximateNumberOfMessages excludes in-flight messages",
    "ApproximateNumberOfMessages:String(S(this,E).filter(o=>!o.delayed).length)",
    "ApproximateNumberOfMessages:String(S(this,E).filter(o=>!o.delayed&&o.visible).length)",
  ],
  [
    // A long poll on SQS returns as soon as messages are there ("returns messages as soon as they become available",
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html); the emulator waited the whole WaitTimeSeconds to
    // fill MaxNumberOfMessages (and handed the same message out twice when its visibility ran out meanwhile).
    "long poll returns once any message is received",
    "if(r.length==e){clearInterval(c),clearTimeout(n),o();break}}},10)",
    "if(r.length==e)break}r.length&&(clearInterval(c),clearTimeout(n),o())},10)",
  ],
  [
    // ...and a receive looked at the queue only on a 10 ms timer, so even a waiting message took 10 ms to come
    // back; look once right away, then on the timer.
    "ReceiveMessage looks at the queue at once",
    "c=setInterval(()=>{d++;for(let y of S(this,E))",
    "c=__asyaEveryNow(()=>{d++;for(let y of S(this,E))",
  ],
  [
    // A message without a delay is visible at once on SQS (delay queues hide only messages given a delay,
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-delay-queues.html); the emulator marked every new message delayed until a
    // 0 ms timer ran, so a depth read right after a send could count fresh messages as delayed.
    "messages without a delay are never counted as delayed",
    "ie(this,ge)._++,setTimeout(()=>{i.delayed=!1,ie(this,ge)._--},r).unref()",
    "r>0?(ie(this,ge)._++,setTimeout(()=>{i.delayed=!1,ie(this,ge)._--},r).unref()):(i.delayed=!1)",
  ],
  [
    // How long a deleted queue's name stays refused (and a purge takes): SQS_QUEUE_DELETE_SECONDS, default 60 as on SQS
    // (see the header); matters only with SQS_QUEUE_LIFECYCLE=1.
    "queue deletion window is configurable",
    "setTimeout(()=>{this.clearRecords(),t==null||t(),this.purgeInProgress=!1},60*1e3)",
    "setTimeout(()=>{this.clearRecords(),t==null||t(),this.purgeInProgress=!1},__asyaDeleteMs)",
  ],
  [
    "helpers for the fixes above",
    '"use strict";',
    '"use strict";const __asyaEveryNow=(f,ms)=>{const h=setInterval(f,ms);setImmediate(f);return h};' +
      "const __asyaDeleteMs=1e3*Number(process.env.SQS_QUEUE_DELETE_SECONDS||60);",
  ],
];

// The emulator's helper for MD5OfMessageAttributes writes a string value's length in UTF-16 units where SQS writes
// its UTF-8 byte count, so any non-ASCII header fails the SDK's checksum check. Same layout, right length.
function md5OfMessageAttributes(attributes) {
  const parts = [];
  const lengthOf = (buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(buffer.length);
    return length;
  };
  for (const name of Object.keys(attributes).sort()) {
    const { DataType, StringValue, BinaryValue } = attributes[name];
    const binary = DataType.startsWith("Binary");
    const nameBytes = Buffer.from(name, "utf8");
    const typeBytes = Buffer.from(DataType, "utf8");
    const valueBytes = binary ? Buffer.from(BinaryValue, "base64") : Buffer.from(StringValue, "utf8");
    parts.push(lengthOf(nameBytes), nameBytes, lengthOf(typeBytes), typeBytes, Buffer.from([binary ? 2 : 1]), lengthOf(valueBytes), valueBytes);
  }
  return crypto.createHash("md5").update(Buffer.concat(parts)).digest("hex");
}

function loadEmulator() {
  const file = require.resolve("local-aws-sqs");
  if (!shimEnabled) {
    return require(file);
  }
  // The emulator looks the helper up on the shared module object at each call, so replacing it here is enough.
  const helper = require(require.resolve("aws-md5-of-message-attributes", { paths: [path.dirname(file)] }));
  helper.md5OfMessageAttributes = md5OfMessageAttributes;
  let source = fs.readFileSync(file, "utf8");
  for (const [what, from, to] of EMULATOR_FIXES) {
    if (source.includes(from)) {
      source = source.replace(from, to);
    } else {
      console.warn(`sqs shim: emulator fix not applied (${what}): its source text was not found`);
    }
  }
  const loaded = new Module(file, module);
  loaded.filename = file;
  loaded.paths = Module._nodeModulePaths(path.dirname(file));
  loaded._compile(source, file);
  return loaded.exports;
}

const { createRequestHandler } = loadEmulator();

// Reusing a queue name right after deleting it is what tests do, so SQS's 60 s re-creation refusal is off unless
// SQS_QUEUE_LIFECYCLE=1 (see the header).
const queueLifecycle = process.env.SQS_QUEUE_LIFECYCLE === "1";
const { requestHandler } = createRequestHandler({ port, hostname: "127.0.0.1", emulateQueueCreationLifecycle: queueLifecycle });

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
server.listen(port, "127.0.0.1", () => console.log(`sqs emulator listening on 127.0.0.1:${port} (pid ${process.pid}, shim ${shimEnabled ? "on" : "off"}, queue lifecycle ${queueLifecycle ? "on" : "off"})`));

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
