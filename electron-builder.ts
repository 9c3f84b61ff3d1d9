import type { Configuration } from 'electron-builder';
import { electronOnlyPackages, lockedElectronVersion } from './scripts/electron-lock';

const ROOT = process.cwd();

/**
 * Installers, built by `npm run dist` on each operating system (electron-builder cannot make a
 * dmg off macOS): Linux AppImage and deb, Windows NSIS, macOS dmg.
 */
const config = {
  appId: 'org.offline-idp.desktop',
  productName: 'Offline IdP',
  executableName: 'offline-idp',
  directories: { output: 'dist', buildResources: 'resources' },
  // electron is an optional dependency (package.json), absent where its download failed, and
  // electron-builder reads the version only from an installed package or from (dev)dependencies.
  electronVersion: lockedElectronVersion(ROOT),
  // The bundles, the tray images and the window icon the app loads at run time; production
  // dependencies are added by electron-builder itself, which also adds optional ones: Electron's
  // npm package and its downloader must not go into the app.
  files: [
    'out/**/*',
    'resources/icon.png',
    'resources/tray/**/*',
    'package.json',
    ...electronOnlyPackages(ROOT).map((name) => `!**/node_modules/${name}{,/**/*}`),
  ],
  asar: true,
  // A native module is loaded from a real file, not from inside the archive.
  asarUnpack: ['**/node_modules/better-sqlite3/**'],
  // better-sqlite3 is compiled again for Electron's Node ABI while packaging (as by
  // `npm run rebuild:electron`, i.e. electron-builder install-app-deps).
  npmRebuild: true,
  // Air-gapped sites: no update feed, no publishing, nothing that calls out.
  publish: null,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
    // Flipping fuses breaks the ad-hoc signature of an unsigned Apple-silicon build.
    resetAdHocDarwinSignature: true,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Network',
    synopsis: 'Offline OpenID Connect / OAuth 2.0 identity provider',
  },
  deb: {
    // The tray uses the StatusNotifier/AppIndicator protocol on most Linux desktops.
    recommends: ['libayatana-appindicator3-1'],
  },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools' },
} satisfies Configuration;

export default config;
