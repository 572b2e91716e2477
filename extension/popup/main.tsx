import { render } from 'preact';
import browser from 'webextension-polyfill';
import { connectToBackground } from '../lib/ui-connector';
import { withPageNumbers } from './page-numbers-source';
import { PopupApp } from './popup-app';

render(
  <PopupApp connector={withPageNumbers(connectToBackground())} openOptions={() => void browser.runtime.openOptionsPage()} />,
  document.getElementById('app')!,
);
