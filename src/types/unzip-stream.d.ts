/** The part of unzip-stream (a dependency of @actions/artifact) that leakwatch uses: parsing a zip entry by entry. */
declare module 'unzip-stream' {
  import type { Readable, Transform } from 'node:stream';

  export interface Entry extends Readable {
    path: string;
    type: 'Directory' | 'File';
    size?: number;
    autodrain(): void;
  }

  interface Parser extends Transform {
    on(event: 'entry', listener: (entry: Entry) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'finish', listener: () => void): this;
  }

  const unzip: { Parse(): Parser };
  export default unzip;
}
