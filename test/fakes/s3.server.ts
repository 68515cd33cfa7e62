import { startHttpFake } from './http-fake';

// A local stand-in for an S3-compatible store, path-style (as MinIO and most others are used):
//   PUT /{bucket}/{key}   → stores the object (ETag), requires a SigV4 Authorization header
//   GET /{bucket}/{key}   → the object with its Content-Type, or S3's NoSuchKey error
// Enough of the documented REST API for PutObject and GetObject through @aws-sdk/client-s3.

export interface FakeS3Server {
  endpoint: string;
  objects: Map<string, { body: Buffer; contentType: string | undefined }>;
  /** Authorization headers seen, to check that requests were signed. */
  authorizations: string[];
  close(): Promise<void>;
}

const noSuchKey = (key: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${key}</Key><RequestId>fake</RequestId></Error>`;

export async function startFakeS3Server(): Promise<FakeS3Server> {
  const objects = new Map<string, { body: Buffer; contentType: string | undefined }>();
  const authorizations: string[] = [];
  const server = await startHttpFake((req, res, body) => {
    const key = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    const auth = req.headers.authorization ?? '';
    authorizations.push(auth);
    if (!auth.startsWith('AWS4-HMAC-SHA256 ')) {
      res.writeHead(403, { 'content-type': 'application/xml' });
      return res.end('<Error><Code>AccessDenied</Code></Error>');
    }
    if (req.method === 'PUT') {
      objects.set(key, { body, contentType: req.headers['content-type'] });
      res.writeHead(200, { etag: '"fake-etag"' });
      return res.end();
    }
    if (req.method === 'GET') {
      const object = objects.get(key);
      if (!object) {
        res.writeHead(404, { 'content-type': 'application/xml' });
        return res.end(noSuchKey(key));
      }
      res.writeHead(200, { 'content-type': object.contentType ?? 'application/octet-stream', 'content-length': String(object.body.byteLength), etag: '"fake-etag"' });
      return res.end(object.body);
    }
    res.writeHead(405);
    res.end();
  });
  return { endpoint: server.baseUrl, objects, authorizations, close: server.close };
}
