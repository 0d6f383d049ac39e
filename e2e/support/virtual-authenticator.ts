import type { CDPSession, Page } from 'playwright-core';

/** A CDP virtual authenticator (a platform passkey with user verification), attached to one page. */
export interface VirtualAuthenticator {
  readonly id: string;
  /** The person fails (or passes) the fingerprint / PIN check from now on. */
  setUserVerified(verified: boolean): Promise<void>;
  remove(): Promise<void>;
  /** The `user.id` (userHandle) of each credential it holds, as bytes. */
  userHandles(): Promise<Buffer[]>;
}

/** Adds a CTAP2 internal authenticator with resident keys and user verification; `prf` turns on the PRF extension (hmac-secret). */
export async function addVirtualAuthenticator(page: Page, options: { prf: boolean }): Promise<VirtualAuthenticator> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      hasPrf: options.prf,
    },
  });
  return {
    id: authenticatorId,
    setUserVerified: async (verified) => {
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: verified });
    },
    userHandles: async () => {
      const { credentials } = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })) as { credentials: { userHandle?: string }[] };
      return credentials.map((credential) => Buffer.from(credential.userHandle ?? '', 'base64'));
    },
    remove: async () => {
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    },
  };
}
