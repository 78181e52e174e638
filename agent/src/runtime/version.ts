export { SLUICE_VERSION as AGENT_VERSION } from '../protocol/version';
