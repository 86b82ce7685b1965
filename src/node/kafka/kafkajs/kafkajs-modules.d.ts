// Types for the kafkajs module internals.ts uses beyond kafkajs's public typings: its protocol
// Encoder, which a request's encode() must return (kafkajs copies the encoder's bytes after
// its request header).
declare module 'kafkajs/src/protocol/encoder.js' {
  export default class Encoder {
    constructor(initialSize?: number);
    writeBuffer(value: Buffer): Encoder;
    readonly buffer: Buffer;
  }
}
