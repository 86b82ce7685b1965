// Types for the two pure-JS codec packages that ship none.
declare module 'snappyjs' {
  export function compress(input: Uint8Array): Uint8Array;
  export function uncompress(input: Uint8Array, maxLength?: number): Uint8Array;
}
declare module 'lz4js' {
  export function compress(input: Uint8Array, maxSize?: number): Uint8Array;
  export function decompress(input: Uint8Array, maxSize?: number): Uint8Array;
}
declare module 'kafkajs/src/protocol/requests/index.js' {
  const requests: unknown;
  export default requests;
}
declare module 'kafkajs/src/protocol/error.js' {
  const errors: unknown;
  export default errors;
}
