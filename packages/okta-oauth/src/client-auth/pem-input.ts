import { inspectPkcs8, pemToDer, pkcs1ToPkcs8, sec1ToPkcs8, type Pkcs8Summary } from './pkcs8.js';
import { checkRsaBits, curveAlgorithms, fitAlgorithm, keyError, type ClientAssertionAlgorithm } from './key-algorithm.js';

/** The private key block of a PEM text: `openssl ecparam -genkey` writes an "EC PARAMETERS" block first. */
function privateKeyBlock(pem: string): { readonly label: string; readonly block: string } | undefined {
  const blocks = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g)];
  const keys = blocks.filter((block) => block[1]?.includes('PRIVATE KEY') === true);
  // Old and new keys in one file or secret (a rotation's): which one signs is not ours to guess. Counted by
  // BEGIN line, not by whole block: a second key cut short, or whose END line names another label, is one too.
  const begun = pem.match(/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/g)?.length ?? 0;
  if (begun > 1) {
    throw keyError(`The client key PEM holds ${begun} private keys (an old and a new key together?): give one, the private half of the public key registered in Okta under keyId.`);
  }
  const chosen = keys[0] ?? blocks[0];
  return chosen?.[1] === undefined ? undefined : { label: chosen[1], block: chosen[0] };
}

const decryptCommand = 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem';

/**
 * Checks a PEM private key and returns its algorithm and its DER PKCS#8 PrivateKeyInfo (PKCS#1
 * and SEC1 keys are wrapped), which is what WebCrypto's `importKey('pkcs8')` takes. @internal
 */
export function fromPem(pem: string, requested: ClientAssertionAlgorithm | undefined): { readonly algorithm: ClientAssertionAlgorithm; readonly pkcs8: Uint8Array<ArrayBuffer> } {
  const found = privateKeyBlock(pem);
  if (found === undefined && /^(?:ssh-|ecdsa-sha2-|sk-)\S+ AAAA/.test(pem)) {
    throw keyError('The client private key is an SSH public key (a .pub file); private_key_jwt signs with the private key, as PKCS#8 PEM (ssh-keygen -p -m PKCS8 -f <private key file> converts one).');
  }
  // A BEGIN line with no END: the key was cut, most often by a .env file or `export`, which keep a value's first line.
  const begun = found === undefined ? /-----BEGIN ([A-Z0-9 ]{1,40})-----/.exec(pem)?.[1] : undefined;
  // An END line naming another label: the block was pasted together from two, not cut.
  const ended = begun === undefined ? undefined : /-----END ([A-Z0-9 ]{1,40})-----/.exec(pem)?.[1];
  if (begun !== undefined && ended !== undefined) {
    throw keyError(`The client key PEM's "-----BEGIN ${begun}-----" line ends with "-----END ${ended}-----": the two must name the same block. Copy the whole block again, from one key file.`);
  }
  if (begun !== undefined) {
    throw keyError(`The client key PEM has its "-----BEGIN ${begun}-----" line but no "-----END ${begun}-----": it was cut short (a .env file keeps only a value's first line). Give the whole block: its lines joined with a literal \\n, or the file's content ("$(cat key.pem)").`);
  }
  if (found === undefined) {
    throw keyError('The client private key is neither a PEM block nor a JWK: give a PEM private key ("-----BEGIN PRIVATE KEY-----") or a private JWK as JSON.');
  }
  const { label, block } = found;
  if (label === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:\s*4,\s*ENCRYPTED/m.test(block)) {
    throw keyError(`The client key PEM is encrypted; decrypt it to an unencrypted PKCS#8 "PRIVATE KEY" (it asks for the passphrase): ${decryptCommand}`);
  }
  if (label.includes('PUBLIC KEY') || label === 'CERTIFICATE') {
    throw keyError(`The client key PEM holds a ${label.toLowerCase()}; private_key_jwt signs with the private key (keep the public key registered in Okta).`);
  }
  if (label === 'OPENSSH PRIVATE KEY') {
    throw keyError('The client key PEM is an OpenSSH private key (ssh-keygen\'s own format); convert it to PKCS#8 "PRIVATE KEY" (this rewrites the file, asking for its passphrase): ssh-keygen -p -m PKCS8 -f <key file>');
  }
  if (label !== 'PRIVATE KEY' && label !== 'RSA PRIVATE KEY' && label !== 'EC PRIVATE KEY') {
    throw keyError(`The client key PEM is a "${label}"; give a "PRIVATE KEY" (PKCS#8), "RSA PRIVATE KEY" (PKCS#1) or "EC PRIVATE KEY" (SEC1).`);
  }
  let pkcs8: Uint8Array<ArrayBuffer>;
  let summary: Pkcs8Summary;
  try {
    pkcs8 = pemToDer(block);
    if (label === 'RSA PRIVATE KEY') pkcs8 = pkcs1ToPkcs8(pkcs8);
    else if (label === 'EC PRIVATE KEY') pkcs8 = sec1ToPkcs8(pkcs8);
    summary = inspectPkcs8(pkcs8);
  } catch {
    throw keyError(`The client key PEM is damaged: its base64 body is not a ${label === 'PRIVATE KEY' ? 'PKCS#8' : label === 'RSA PRIVATE KEY' ? 'PKCS#1 RSA' : 'SEC1 EC (with a named curve)'} private key. Copy the whole block again.`);
  }
  if (summary.type === 'RSA') {
    checkRsaBits(summary.bits);
    return { algorithm: fitAlgorithm('RS256', requested, 'an RSA key'), pkcs8 };
  }
  if (summary.type === 'EC') {
    const natural = curveAlgorithms[summary.curve];
    if (natural === undefined) throw keyError('The client EC key uses a curve Okta does not accept; use P-256, P-384 or P-521.');
    return { algorithm: fitAlgorithm(natural, requested, `an EC ${summary.curve} key`), pkcs8 };
  }
  throw keyError(`The client key is ${summary.name === 'an unknown algorithm' ? 'of an unknown type' : `an ${summary.name} key`}; Okta accepts RSA and EC (P-256, P-384, P-521) keys.`);
}
