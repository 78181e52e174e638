/** Names of CDC objects on the source (kept free of heavy imports: the full-load engine uses it). */
export { defaultSlotName } from '../protocol/cdc-names';
