import { FORMAT_VALIDATORS } from '../testing/format-validators';
import { HOSTILE_TEXT, hostileChange, oversizedChange, resolvedChange, sampleChange } from '../testing/alert-changes';
import { webhookPayload } from '../webhook-payload';
import { ELLIPSIS } from './fit-text';
import { escapeSlackText, SLACK_LIMITS, slackBody, type SlackBlock } from './slack-body';

function texts(blocks: SlackBlock[]): string[] {
  return blocks.flatMap((block) => [
    ...('text' in block && block.text ? [block.text.text] : []),
    ...('fields' in block && block.fields ? block.fields.map((field) => field.text) : []),
    ...('elements' in block ? block.elements.map((element) => element.text) : []),
  ]);
}

describe('escapeSlackText', () => {
  it('escapes &, < and >, and nothing else', () => {
    expect(escapeSlackText('<!channel> & <https://evil|BTC> *b* "q"')).toBe('&lt;!channel&gt; &amp; &lt;https://evil|BTC&gt; *b* "q"');
  });
});

describe('slackBody', () => {
  it('is an incoming-webhook message: text, a header, the description, and an attachment coloured by severity', () => {
    const body = slackBody(webhookPayload(sampleChange()));

    expect(FORMAT_VALIDATORS.slack(body)).toEqual([]);
    expect(body.text).toBe('🟠 [S2 major] Firing: BTC above 100000');
    expect(body.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: '🟠 [S2 major] Firing: BTC above 100000', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'BTC traded at 100500, above the S2 level 100000.', verbatim: true } },
    ]);
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0]?.color).toBe('#f57c00');
    const [fields, context] = body.attachments[0]?.blocks ?? [];
    expect(fields).toMatchObject({ type: 'section' });
    expect(texts([fields as SlackBlock])).toEqual(expect.arrayContaining(['*Severity*\nS2 major', '*Value*\n100500', '*Labels*\nkind=price_threshold\nrule=btc-above-100k\nsymbol=BTC']));
    expect(context).toMatchObject({ type: 'context' });
  });

  it('colours a critical alert red and a resolved one green', () => {
    const critical = sampleChange({ alert: { severity: 'S3' } });
    expect(slackBody(webhookPayload(critical)).attachments[0]?.color).toBe('#d32f2f');
    const resolved = slackBody(webhookPayload(resolvedChange(critical)));
    expect(resolved.attachments[0]?.color).toBe('#2e7d32');
    expect(resolved.text).toBe('✅ [S3 critical] Resolved: BTC above 100000');
  });

  it('escapes the markup of labels and annotations everywhere', () => {
    const body = slackBody(webhookPayload(hostileChange()));

    expect(FORMAT_VALIDATORS.slack(body)).toEqual([]);
    const all = [body.text, ...texts(body.blocks), ...texts(body.attachments[0]?.blocks ?? [])];
    expect(all.join('\n')).toContain(escapeSlackText(HOSTILE_TEXT));
    expect(all.join('\n')).not.toMatch(/[<>]/);
  });

  it('cuts every text to its Block Kit limit with an ellipsis', () => {
    const body = slackBody(webhookPayload(oversizedChange()));

    expect(FORMAT_VALIDATORS.slack(body)).toEqual([]);
    const header = body.blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.header);
    expect(header.text.text.endsWith(ELLIPSIS)).toBe(true);
    const description = body.blocks[1] as { text: { text: string } };
    expect(description.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(description.text.text.endsWith(ELLIPSIS)).toBe(true);
    const labels = texts(body.attachments[0]?.blocks ?? []).find((text) => text.startsWith('*Labels*')) ?? '';
    expect(labels.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    expect(labels.endsWith(ELLIPSIS)).toBe(true);
  });
});
