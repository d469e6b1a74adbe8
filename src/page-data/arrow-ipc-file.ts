import {
  type Data, DataType, Field, MetadataVersion, Schema, Table, Type, type Vector, tableToIPC,
  DictionaryBatchTable, FooterTable, MessageTable, RecordBatchTable, FileBlock, Footer, BufferRegion, DictionaryBatch, FieldNode, Message, RecordBatch,
} from '../commonjs/apache-arrow.ts';
import { ByteBuffer } from 'flatbuffers';

/**
 * The Arrow IPC file of one batch of flat columns: the bytes `tableToIPC(new Table(columns), 'file')`
 * writes, written without what it goes through to get them. For the pupil timelines (thousands of
 * small files, 41 columns each: src/page-data/chunk-arrow.ts), apache-arrow's writer cost about
 * 1.3 ms a file (6.9 of a thread's 46 s at the trust), mostly per file and per column rather than
 * per row: the table and record batch made from the vectors, the visitors that list their
 * buffers, the byte queue the file is written into and joined from (docs/performance.md,
 * "Session 23": this takes 0.41–0.53 of its CPU time on the trust's parts).
 *
 * The file's metadata (each message's flatbuffer, the footer with the schema) is still encoded by
 * apache-arrow's own encoders (`Message.encode`, `Footer.encode`), given what its writer would
 * give them (a footer once per schema: footerOf; a message once per shape: messageBytes). This module only lays out the buffers, as
 * RecordBatchFileWriter and VectorAssembler do: the magic, each dictionary batch (in column
 * order), the record batch, each message prefixed by its length and padded to 8 bytes, each body
 * buffer padded to 8 bytes, the end-of-stream marker, the footer. Test:
 * test/page-data/arrow-ipc-file.test.ts compares the bytes with tableToIPC's for every type taken
 * here, with and without nulls, file after file of one schema, and reads them back.
 *
 * Columns it does not take (a struct, a date, a sliced or chunked vector, no rows) go to tableToIPC.
 */
export function arrowIpcFile(columns: readonly string[], vectors: readonly Vector[]): Uint8Array {
  return laidOut(columns, vectors) ?? viaTable(columns, vectors);
}

/** arrowIpcFile's bytes when every column is one it lays out itself, else null. */
export function laidOut(columns: readonly string[], vectors: readonly Vector[]): Uint8Array | null {
  const data = vectors.map((v) => (v.data.length === 1 ? v.data[0] : null));
  const length = data[0]?.length ?? 0;
  if (length === 0 || !data.every((d): d is Data => d !== null && d.length === length && taken(d))) return null;

  const fields = columns.map((name, i) => new Field(name, data[i].type, data[i].nullable));
  const file = new FileBytes();
  file.write(MAGIC).pad(2);
  const dictionaryBlocks: FileBlock[] = [];
  // The dictionaries, in column order (apache-arrow's collectDictionaries), each in a batch of its own.
  for (const d of data) {
    if (!DataType.isDictionary(d.type)) continue;
    const body = new Body();
    body.add(d.dictionary!.data[0]);
    const batch = new DictionaryBatch(new RecordBatch(d.dictionary!.length, body.nodes, body.regions, null), d.type.id, false);
    dictionaryBlocks.push(file.message(batch, body));
  }
  const body = new Body();
  for (const d of data) body.add(d);
  const recordBlock = file.message(new RecordBatch(length, body.nodes, body.regions, null), body);
  const footer = footerOf(fields, recordBlock, dictionaryBlocks);
  // End of stream (for readers that read the file as a stream), the footer, its length, the magic.
  file.write(Int32Array.of(-1, 0)).write(footer).write(Int32Array.of(footer.byteLength)).write(MAGIC);
  return file.bytes();
}

const MAGIC = new TextEncoder().encode('ARROW1');

/**
 * Footers already encoded, by schema: a template and where each of its blocks lies in it. A footer
 * is the schema (about half of the writer's time, 41 fields for a timeline) and the blocks (where
 * each batch is: fixed-size structs), so two files of the same schema have footers that differ
 * only in the blocks' values: the template's bytes with those written in. A timeline export has
 * a few hundred schemas (the narrowest types vary with the part's values) for thousands of files.
 */
const footers = new Map<string, { bytes: Uint8Array; blocks: number[] }>();
const FOOTERS_KEPT = 4096;

function footerOf(fields: readonly Field[], record: FileBlock, dictionaries: readonly FileBlock[]): Uint8Array {
  const blocks = [record, ...dictionaries];
  // Everything Schema.encode reads of the flat types laid out here, and the number of blocks.
  const key = `${blocks.length}\u0000${fields.map((f) => `${f.name}\u0001${String(f.type)}\u0001${f.nullable}\u0001${DataType.isDictionary(f.type) ? f.type.id : ''}`).join('\u0000')}`;
  const template = footers.get(key);
  if (!template) {
    const bytes = Footer.encode(new Footer(new Schema([...fields]), MetadataVersion.V5, [record], [...dictionaries]));
    // The blocks' places, read back with the footer's generated reader: the record batch's, then the dictionaries'.
    const table = FooterTable.getRootAsFooter(new ByteBuffer(bytes));
    const places = [table.recordBatches(0)!.bb_pos, ...Array.from({ length: table.dictionariesLength() }, (_, i) => table.dictionaries(i)!.bb_pos)];
    if (places.length !== blocks.length) throw new Error(`an Arrow footer lists ${places.length} blocks, not ${blocks.length}`);
    if (footers.size < FOOTERS_KEPT) footers.set(key, { bytes, blocks: places });
    return bytes;
  }
  const bytes = template.bytes.slice();
  const view = new DataView(bytes.buffer);
  // The Block struct (File.fbs): offset (int64), metaDataLength (int32, then 4 bytes of padding), bodyLength (int64).
  blocks.forEach((block, i) => {
    const at = template.blocks[i];
    view.setBigInt64(at, BigInt(block.offset), true);
    view.setInt32(at + 8, block.metaDataLength, true);
    view.setBigInt64(at + 16, BigInt(block.bodyLength), true);
  });
  return bytes;
}

/**
 * Messages already encoded, by shape, as footers are (footerOf): a template and where each of its
 * numbers lies in it. A batch's message is its length, a node (length, null count) per column and
 * a region (offset, length) per buffer, and for a dictionary its id; Message.encode builds it
 * afresh, a flatbuffer builder a message: half of this writer's time on the timelines' parts (4.9
 * of 9.7 CPU s in a profile of the trust's clean export; one record batch and a dictionary batch
 * per text column, each). Two messages with as many nodes and buffers are the same bytes but for
 * those numbers, except that flatbuffers leave out a table's number when it is 0 (the body's
 * length, the batch's length, the dictionary's id), so which of those are 0 is part of the shape.
 */
const messageTemplates = new Map<string, { bytes: Uint8Array; places: number[] }>();
const MESSAGES_KEPT = 4096;

function messageBytes(header: RecordBatch | DictionaryBatch, bodyLength: number): Uint8Array {
  const dictionary = header instanceof DictionaryBatch ? header : null;
  const batch = dictionary ? dictionary.data : (header as RecordBatch);
  // The numbers, in the order their places are listed (placesOf).
  const numbers: number[] = [bodyLength, batch.length];
  if (dictionary) numbers.push(dictionary.id);
  for (const n of batch.nodes) numbers.push(n.length, n.nullCount);
  for (const r of batch.buffers) numbers.push(r.offset, r.length);
  const key = `${dictionary ? `d${dictionary.isDelta ? 1 : 0}${dictionary.id === 0 ? 0 : 1}` : 'r'}${bodyLength === 0 ? 0 : 1}${batch.length === 0 ? 0 : 1} ${batch.nodes.length} ${batch.buffers.length}`;
  const template = messageTemplates.get(key);
  if (!template) {
    const bytes = Message.encode(Message.from(header, bodyLength));
    if (messageTemplates.size < MESSAGES_KEPT) messageTemplates.set(key, { bytes, places: placesOf(bytes, !!dictionary) });
    return bytes;
  }
  const bytes = template.bytes.slice();
  const view = new DataView(bytes.buffer);
  template.places.forEach((at, i) => {
    if (at >= 0) view.setBigInt64(at, BigInt(numbers[i]), true);
    else if (numbers[i] !== 0) throw new Error('an Arrow message template left out a number that is not 0');
  });
  return bytes;
}

/**
 * Where a message's numbers lie in its bytes (messageBytes' order: the body's length, the batch's
 * length, the dictionary's id, each node's length and null count, each buffer's offset and
 * length), read with the generated readers; -1 for a table's number left out (0).
 */
function placesOf(bytes: Uint8Array, dictionary: boolean): number[] {
  const message = MessageTable.getRootAsMessage(new ByteBuffer(bytes));
  const field = (table: { bb: ByteBuffer | null; bb_pos: number }, slot: number) => {
    const offset = table.bb!.__offset(table.bb_pos, slot);
    return offset === 0 ? -1 : table.bb_pos + offset;
  };
  // Slots (Message.fbs, Schema.fbs): Message.bodyLength 10; RecordBatch.length 4; DictionaryBatch.id 4.
  const places = [field(message, 10)];
  let batch: RecordBatchTable;
  if (dictionary) {
    const header = message.header(new DictionaryBatchTable()) as DictionaryBatchTable;
    batch = header.data()!;
    places.push(field(batch, 4), field(header, 4));
  } else {
    batch = message.header(new RecordBatchTable()) as RecordBatchTable;
    places.push(field(batch, 4));
  }
  // FieldNode and Buffer are structs of two int64s.
  for (let i = 0; i < batch.nodesLength(); i++) places.push(batch.nodes(i)!.bb_pos, batch.nodes(i)!.bb_pos + 8);
  for (let i = 0; i < batch.buffersLength(); i++) places.push(batch.buffers(i)!.bb_pos, batch.buffers(i)!.bb_pos + 8);
  return places;
}

function viaTable(columns: readonly string[], vectors: readonly Vector[]): Uint8Array {
  const table: Record<string, Vector> = {};
  columns.forEach((column, i) => (table[column] = vectors[i]));
  return tableToIPC(new Table(table), 'file');
}

/** The flat types laid out here (what src/page-data/arrow-file.ts and chunk-arrow.ts make), unsliced. */
function taken(d: Data): boolean {
  if (d.offset !== 0) return false;
  switch (d.typeId) {
    case Type.Null:
    case Type.Bool:
    case Type.Float:
      return true;
    case Type.Int:
      return DataType.isInt(d.type) && d.type.bitWidth <= 32;
    case Type.Dictionary: {
      const dictionary = d.dictionary;
      return dictionary !== undefined && dictionary.data.length === 1 && dictionary.data[0].typeId === Type.Utf8 && taken(dictionary.data[0]);
    }
    case Type.Utf8:
      return Number(d.valueOffsets[0]) === 0;
    default:
      return false;
  }
}

const aligned = (n: number) => (n + 7) & ~7;
const EMPTY = new Uint8Array(0);

/** A batch's field nodes, buffers and their regions, as VectorAssembler lists them. */
class Body {
  readonly nodes: FieldNode[] = [];
  readonly regions: BufferRegion[] = [];
  readonly buffers: ArrayBufferView[] = [];
  byteLength = 0;

  add(d: Data): void {
    const { length, nullCount } = d;
    this.nodes.push(new FieldNode(length, nullCount));
    if (d.typeId === Type.Null) return;
    // The validity bitmap (an empty placeholder when no row is null).
    this.buffer(nullCount <= 0 ? EMPTY : d.nullBitmap!);
    switch (d.typeId) {
      case Type.Bool:
        this.buffer(nullCount >= length ? new Uint8Array((length + 7) >> 3) : (d.values as Uint8Array));
        return;
      case Type.Utf8: {
        const end = Number(d.valueOffsets[length]);
        this.buffer(d.valueOffsets.subarray(0, length + 1));
        this.buffer((d.values as Uint8Array).subarray(0, Math.min(end, d.values.byteLength)));
        return;
      }
      default:
        // Int, Float, and a dictionary's indices.
        this.buffer((d.values as Int32Array).subarray(0, length * d.stride));
    }
  }

  private buffer(values: ArrayBufferView): void {
    this.buffers.push(values);
    this.regions.push(new BufferRegion(this.byteLength, aligned(values.byteLength)));
    this.byteLength += aligned(values.byteLength);
  }
}

/**
 * The file's bytes, gathered then joined once: each piece's place is kept, and padding is only a
 * gap (the joined bytes start as zeros), so a file of a few hundred small buffers makes one view a
 * piece (as it is copied in) and no array a pad.
 */
class FileBytes {
  private readonly chunks: ArrayBufferView[] = [];
  private readonly places: number[] = [];
  private position = 0;

  write(values: ArrayBufferView): this {
    if (values.byteLength === 0) return this;
    this.chunks.push(values);
    this.places.push(this.position);
    this.position += values.byteLength;
    return this;
  }

  pad(n: number): this {
    this.position += n;
    return this;
  }

  /** A message (its flatbuffer after the continuation marker and its padded length) and its body; the block the footer lists. */
  message(header: RecordBatch | DictionaryBatch, body: Body): FileBlock {
    const flatbuffer = messageBytes(header, body.byteLength);
    const size = aligned(flatbuffer.byteLength + 8);
    const block = new FileBlock(size, body.byteLength, this.position);
    this.write(Int32Array.of(-1, size - 8)).write(flatbuffer).pad(size - 8 - flatbuffer.byteLength);
    for (const buffer of body.buffers) this.write(buffer).pad(aligned(buffer.byteLength) - buffer.byteLength);
    return block;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.position);
    for (let i = 0; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      out.set(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), this.places[i]);
    }
    return out;
  }
}
