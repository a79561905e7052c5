/**
 * An entry as the store seals it (`v1.<kid>.<iv>.<ciphertext>`, AES-GCM with the Redis key as additional
 * data), under the current key of `encryption`: what a writer holding the key (a tamperer, or a
 * process writing what is no token) puts in Redis. For tests of what the store does with such entries.
 */
export async function sealedEntry(encryption: { readonly current: string; readonly keys: Readonly<Record<string, string>> }, plaintext: string, redisKey: string): Promise<string> {
  const kid = encryption.current;
  const key = await crypto.subtle.importKey('raw', Buffer.from(encryption.keys[kid] ?? '', 'base64'), 'AES-GCM', false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(redisKey) }, key, new TextEncoder().encode(plaintext));
  return `v1.${kid}.${Buffer.from(iv).toString('base64url')}.${Buffer.from(ciphertext).toString('base64url')}`;
}
