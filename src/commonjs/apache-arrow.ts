import { createRequire } from 'node:module';
import type * as Arrow from 'apache-arrow';
import type * as FbDictionaryBatch from 'apache-arrow/fb/dictionary-batch';
import type * as FbFooter from 'apache-arrow/fb/footer';
import type * as FbMessage from 'apache-arrow/fb/message';
import type * as FbRecordBatch from 'apache-arrow/fb/record-batch';
import type * as MetadataFile from 'apache-arrow/ipc/metadata/file';
import type * as MetadataMessage from 'apache-arrow/ipc/metadata/message';

/**
 * Apache Arrow's values, from its CommonJS build, for the page-data processes, the CLI and the
 * tests (the browser's Arrow is Framework's own). They run TypeScript through tsx, whose
 * ES-module hooks answer each module imported from another thread: Arrow's ES build is about 290
 * modules, 0.38 CPU s a process to import that way, its CommonJS build 0.11 (read in the
 * process's own thread; docs/performance.md, "Session 43"). Every value comes from here, so one
 * copy of Arrow is loaded: the encoders test their types with `instanceof`, which a class of the
 * other copy would fail. Each class used as a type is named here as a type too.
 */
const require = createRequire(import.meta.url);
const arrow = require('apache-arrow') as typeof Arrow;
const metadataFile = require('apache-arrow/ipc/metadata/file') as typeof MetadataFile;
const metadataMessage = require('apache-arrow/ipc/metadata/message') as typeof MetadataMessage;

export const {
  Bool, DateDay, Float32, Float64, Int16, Int32, Int8, Null, Struct, Utf8,
  Data, DataType, Dictionary, Field, Schema, Table, Type, MetadataVersion,
  makeData, makeVector, tableFromArrays, tableFromIPC, tableToIPC, vectorFromArray,
} = arrow;
export type Data<T extends Arrow.DataType = Arrow.DataType> = Arrow.Data<T>;
export type DataType<T extends Arrow.Type = Arrow.Type, C extends Arrow.TypeMap = any> = Arrow.DataType<T, C>;
export type Dictionary<T extends Arrow.DataType = any, K extends Arrow.Int8 | Arrow.Int16 | Arrow.Int32 = Arrow.Int8 | Arrow.Int16 | Arrow.Int32> = Arrow.Dictionary<T, K>;
export type Field<T extends Arrow.DataType = any> = Arrow.Field<T>;
export type Schema<T extends Arrow.TypeMap = any> = Arrow.Schema<T>;
export type Table<T extends Arrow.TypeMap = any> = Arrow.Table<T>;
export type Bool = Arrow.Bool;
export type Int32 = Arrow.Int32;
export type Type = Arrow.Type;
export type Utf8 = Arrow.Utf8;
export type Vector<T extends Arrow.DataType = any> = Arrow.Vector<T>;

// The IPC file's own metadata (src/page-data/arrow-ipc-file.ts writes the file's messages itself).
export const { DictionaryBatch: DictionaryBatchTable } = require('apache-arrow/fb/dictionary-batch') as typeof FbDictionaryBatch;
export const { Footer: FooterTable } = require('apache-arrow/fb/footer') as typeof FbFooter;
export const { Message: MessageTable } = require('apache-arrow/fb/message') as typeof FbMessage;
export const { RecordBatch: RecordBatchTable } = require('apache-arrow/fb/record-batch') as typeof FbRecordBatch;
export const { FileBlock, Footer } = metadataFile;
export const { BufferRegion, DictionaryBatch, FieldNode, Message, RecordBatch } = metadataMessage;
export type DictionaryBatchTable = FbDictionaryBatch.DictionaryBatch;
export type RecordBatchTable = FbRecordBatch.RecordBatch;
export type FileBlock = MetadataFile.FileBlock;
export type BufferRegion = MetadataMessage.BufferRegion;
export type DictionaryBatch = MetadataMessage.DictionaryBatch;
export type FieldNode = MetadataMessage.FieldNode;
export type RecordBatch = MetadataMessage.RecordBatch;
