export * from './data-source';
export * from './job-spec';
export * from './messages';
export * from './rpc';
export * from './version';
export * from './cdc-names';
export * from './kafka-spec';
export * from './kafka-shapes';
