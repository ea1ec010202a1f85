export { Expiry, type ExpiryProps } from './expiry.js';
export { useExpiryState, firstRowOfBucket } from './use-expiry-state.js';
export { expiryInput } from './expiry-input.js';
