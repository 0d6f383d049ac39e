import { isIos, needsHomeScreen } from './install-hint';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const IPAD_AS_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';

describe('the Add to Home Screen hint', () => {
  it('is for iOS and iPadOS tabs only', () => {
    expect(needsHomeScreen({ userAgent: IPHONE, maxTouchPoints: 5, standalone: false })).toBe(true);
    expect(needsHomeScreen({ userAgent: IPAD_AS_MAC, maxTouchPoints: 5, standalone: false })).toBe(true);
  });

  it('is not shown once the app runs from the Home Screen', () => {
    expect(needsHomeScreen({ userAgent: IPHONE, maxTouchPoints: 5, standalone: true })).toBe(false);
  });

  it('is not shown on a Mac or on Android, where tabs get push', () => {
    expect(isIos({ userAgent: IPAD_AS_MAC, maxTouchPoints: 0, standalone: false })).toBe(false);
    expect(needsHomeScreen({ userAgent: ANDROID, maxTouchPoints: 5, standalone: false })).toBe(false);
  });
});
