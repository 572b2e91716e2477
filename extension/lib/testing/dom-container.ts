import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach } from 'vitest';

/**
 * For Preact component tests (happy-dom): a fresh element in the document for every test,
 * unmounted and removed after it. Call once at the top of a test file.
 */
export function domContainer(): { readonly element: HTMLElement } {
  let element: HTMLElement;
  beforeEach(() => {
    element = document.createElement('div');
    document.body.append(element);
  });
  afterEach(() => {
    act(() => render(null, element));
    element.remove();
  });
  return {
    get element() {
      return element;
    },
  };
}
