// Accounts the app signs with: the well-known dev accounts on a development chain, and the
// polkadot.js browser extension's accounts (injected signer) on any chain.

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { Signing } from './chain';

export const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const;

export interface Account {
  address: string;
  name: string;
  source: 'dev' | 'extension';
  signing: () => Promise<Signing>;
}

let devKeyring: Keyring | null = null;

/** The dev accounts `//Alice` .. `//Ferdie` (sr25519, SS58 prefix 42). */
export async function devAccounts(ss58 = 42): Promise<Account[]> {
  await cryptoWaitReady();
  devKeyring ??= new Keyring({ type: 'sr25519', ss58Format: ss58 });
  const kr = devKeyring;
  return DEV_NAMES.map((name) => {
    const pair = kr.addFromUri(`//${name}`, { name });
    return { address: pair.address, name, source: 'dev' as const, signing: async () => ({ kind: 'pair' as const, pair }) };
  });
}

/** The extension's accounts; empty when no extension is installed or the user refused. */
export async function extensionAccounts(): Promise<Account[]> {
  const { web3Enable, web3Accounts, web3FromAddress } = await import('@polkadot/extension-dapp');
  const exts = await web3Enable('LLM-Net');
  if (exts.length === 0) return [];
  const list = await web3Accounts();
  return list.map((a) => ({
    address: a.address,
    name: a.meta.name ?? a.address,
    source: 'extension' as const,
    signing: async () => {
      const inj = await web3FromAddress(a.address);
      return { kind: 'injected' as const, address: a.address, signer: inj.signer };
    },
  }));
}

/** The name the app shows for `address`: a known account's name, else a short address. */
export function nameOf(address: string, known: Account[]): string {
  const a = known.find((k) => k.address === address);
  return a ? a.name : address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}
