// A worker thread that scans exports (scan-bytes.mjs) while the main thread's DuckDB connection
// loads the file before: ingest hands it the next file's path as it starts loading one
// (source-file.ts, `ByteScanner`). Plain JavaScript, so Node starts it without tsx.
import { parentPort } from 'node:worker_threads';
import { scanBytes } from './scan-bytes.mjs';

parentPort.on('message', ({ id, filePath, headBytes }) => {
  try {
    const scan = scanBytes(filePath, headBytes);
    parentPort.postMessage({ id, scan }, [scan.head.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
