export { SimProvider, createSimProvider, type SimProviderOptions } from './sim.provider';
