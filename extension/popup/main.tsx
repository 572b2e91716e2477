import { render } from 'preact';
import browser from 'webextension-polyfill';
import { connectToBackground } from '../lib/ui-connector';
import { PopupApp } from './popup-app';

render(
  <PopupApp connector={connectToBackground()} openOptions={() => void browser.runtime.openOptionsPage()} />,
  document.getElementById('app')!,
);
