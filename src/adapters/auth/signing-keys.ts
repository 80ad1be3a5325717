import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { DataSource } from 'typeorm';

const KEY_ID = 'embedded';

/** The service's own ES256 key pair for embedded mode, kept in `signing_keys` so every process shares it. */
export class SigningKeys {
  static readonly algorithm = 'ES256';

  private constructor(
    /** RFC 7638 thumbprint of the public key: the same in every process. */
    readonly kid: string,
    readonly privateKey: KeyObject,
    readonly publicKey: KeyObject,
  ) {}

  /** Creates the key on first start; two processes starting together agree on the single stored row. */
  static async loadOrCreate(dataSource: DataSource): Promise<SigningKeys> {
    const pem = (await readPem(dataSource)) ?? (await insertThenRead(dataSource));
    const privateKey = createPrivateKey(pem);
    const publicKey = createPublicKey(privateKey);
    const kid = await calculateJwkThumbprint(publicKey.export({ format: 'jwk' }) as JWK);
    return new SigningKeys(kid, privateKey, publicKey);
  }
}

async function readPem(dataSource: DataSource): Promise<string | null> {
  const rows: { private_key_pem: string }[] = await dataSource.query(
    'SELECT private_key_pem FROM signing_keys WHERE id = $1',
    [KEY_ID],
  );
  return rows[0]?.private_key_pem ?? null;
}

async function insertThenRead(dataSource: DataSource): Promise<string> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await dataSource.query(
    'INSERT INTO signing_keys (id, private_key_pem) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
    [KEY_ID, pem],
  );
  const stored = await readPem(dataSource);
  if (!stored) throw new Error('signing_keys row vanished right after insert');
  return stored;
}
