// @ts-check
/**
 * `executeServerCommand('ax-tree', { selectors, frame? })`: Chromium's accessibility tree under each
 * element (puppeteer's snapshot, every node kept, not only the "interesting" ones the stock
 * a11ySnapshot returns: it drops unnamed groups and grids). `frame` picks the first frame whose URL
 * contains it (an iframe's document, e.g. the article); `null` for an element that is not found.
 */
export function axTreePlugin() {
  return {
    name: 'qw-ax-tree',
    /** @param {{ command: string, payload: any, session: any }} args */
    async executeCommand({ command, payload, session }) {
      if (command !== 'ax-tree') return undefined;
      const page = session.browser.getPage(session.id);
      const frame = payload.frame
        ? page.frames().find((/** @type {any} */ f) => f.url().includes(payload.frame))
        : page.mainFrame();
      if (!frame) throw new Error(`ax-tree: no frame with "${payload.frame}" in its URL`);
      const trees = [];
      for (const selector of payload.selectors) {
        const root = await frame.$(selector);
        trees.push(root ? await frame.accessibility.snapshot({ root, interestingOnly: false }) : null);
        await root?.dispose();
      }
      return trees;
    },
  };
}
