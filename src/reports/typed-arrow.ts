import { Bool, Dictionary, Float32, Float64, Int16, Int32, Int8, Table, Utf8, tableToIPC, vectorFromArray, type DataType } from 'apache-arrow';
import type { Row } from './mart-export.ts';

/**
 * Arrow IPC with the column types chosen by the loader instead of inferred (writeArrow makes
 * every number a Float64): small integers, Float32 rates and dictionary-encoded strings make a
 * page's file several times smaller. `text` is a dictionary of up to 2 billion distinct values,
 * `text16` of up to 32,767 (pupil names, forms, weeks).
 */
export type ArrowColumnType = 'int8' | 'int16' | 'int32' | 'float32' | 'float64' | 'bool' | 'text' | 'text16';

function arrowType(type: ArrowColumnType): DataType {
  switch (type) {
    case 'int8': return new Int8();
    case 'int16': return new Int16();
    case 'int32': return new Int32();
    case 'float32': return new Float32();
    case 'float64': return new Float64();
    case 'bool': return new Bool();
    case 'text': return new Dictionary(new Utf8(), new Int32());
    case 'text16': return new Dictionary(new Utf8(), new Int16());
  }
}

export function typedArrowTable(rows: readonly Row[], columns: Readonly<Record<string, ArrowColumnType>>): Table {
  return new Table(
    Object.fromEntries(
      Object.entries(columns).map(([name, type]) => [name, vectorFromArray(rows.map((r) => r[name] ?? null), arrowType(type))]),
    ),
  );
}

export function writeTypedArrow(rows: readonly Row[], columns: Readonly<Record<string, ArrowColumnType>>): void {
  process.stdout.write(tableToIPC(typedArrowTable(rows, columns), 'file'));
}
