import { FORMAT_VALIDATORS } from '../testing/format-validators';
import { hostileChange, oversizedChange, resolvedChange, sampleChange } from '../testing/alert-changes';
import { webhookPayload } from '../webhook-payload';
import { DISCORD_LIMITS, discordBody, escapeDiscordMarkdown } from './discord-body';
import { ELLIPSIS } from './fit-text';

describe('escapeDiscordMarkdown', () => {
  it('puts a backslash before every markdown character', () => {
    expect(escapeDiscordMarkdown('[claim](https://evil) *b* _i_ ~s~ `c` ||sp|| > # - <@1> \\')).toBe(
      '\\[claim\\]\\(https://evil\\) \\*b\\* \\_i\\_ \\~s\\~ \\`c\\` \\|\\|sp\\|\\| \\> \\# \\- \\<@1\\> \\\\',
    );
  });
});

describe('discordBody', () => {
  it('is an Execute Webhook body: content, one embed coloured by severity, no mentions', () => {
    const change = sampleChange();
    const body = discordBody(webhookPayload(change));

    expect(FORMAT_VALIDATORS.discord(body)).toEqual([]);
    expect(body.content).toBe('🟠 \\[S2 major\\] Firing: BTC above 100000');
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const [embed] = body.embeds;
    expect(embed).toMatchObject({
      title: '🟠 \\[S2 major\\] Firing: BTC above 100000',
      description: 'BTC traded at 100500, above the S2 level 100000.',
      color: 0xf57c00,
      timestamp: '2026-03-01T12:00:00.000Z',
      footer: { text: `alert ${change.alert.id} · version 1` },
    });
    expect(embed.fields).toEqual(
      expect.arrayContaining([
        { name: 'Severity', value: 'S2 major', inline: true },
        { name: 'Labels', value: 'kind=price\\_threshold\nrule=btc\\-above\\-100k\nsymbol=BTC', inline: false },
      ]),
    );
  });

  it('colours a critical alert red and a resolved one green, with its end time', () => {
    const critical = sampleChange({ alert: { severity: 'S3' } });
    expect(discordBody(webhookPayload(critical)).embeds[0].color).toBe(0xd32f2f);
    const resolved = discordBody(webhookPayload(resolvedChange(critical))).embeds[0];
    expect(resolved.color).toBe(0x2e7d32);
    expect(resolved.fields).toContainEqual({ name: 'Ended', value: '2026\\-03\\-01T12:01:00.000Z', inline: true });
  });

  it('escapes the markdown of labels and annotations: no masked link, quote or mention survives', () => {
    const body = discordBody(webhookPayload(hostileChange()));

    expect(FORMAT_VALIDATORS.discord(body)).toEqual([]);
    const all = [body.content, body.embeds[0].title, body.embeds[0].description, ...body.embeds[0].fields.map((field) => field.value)].join('\n');
    expect(all).not.toMatch(/(^|[^\\])[[\]()<*_~`|]/);
    expect(all).toContain('\\[claim\\]\\(https://evil.example\\)');
  });

  it('stays within every Discord limit, 6000 characters for the embed, cutting with an ellipsis', () => {
    const body = discordBody(webhookPayload(oversizedChange()));

    expect(FORMAT_VALIDATORS.discord(body)).toEqual([]);
    const [embed] = body.embeds;
    expect(embed.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(embed.title.endsWith(ELLIPSIS)).toBe(true);
    expect(embed.description?.endsWith(ELLIPSIS)).toBe(true);
    const labels = embed.fields.find((field) => field.name === 'Labels');
    expect(labels?.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    const total = embed.title.length + (embed.description?.length ?? 0) + embed.footer.text.length + embed.fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
    expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(total).toBeGreaterThan(DISCORD_LIMITS.embedTotal - 10);
  });
});
