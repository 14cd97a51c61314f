// Lead routing's teams (SPEC 11): the teams in the order their rules are tried, and a team's page
// with its rules in words and its members' load and availability. Everyone signed in reads them; a
// manager or admin changes a team's routing (team-edit.js).
import { get, loadMe, loadDirectory, includes } from './api.js';
import { h, page, badge, errorBox, nameOf, when } from './ui.js';
import { openTeamEditor } from './team-edit.js';

/** A condition's field and operator as a sentence says them. */
const fieldWords = { country: 'country', source: 'source', medium: 'medium', campaign: 'campaign', tags: 'a tag', emailDomain: 'email domain', companyName: 'company' };
const opWords = { equals: 'is', in: 'in', contains: 'contains', startsWith: 'starts with' };

/** One condition in words: "country in BE, NL, LU", "source is fair", "a tag starts with expo". */
export const ruleText = (rule) => `${fieldWords[rule.field] ?? rule.field} ${opWords[rule.op] ?? rule.op} ${(rule.values ?? []).join(', ')}`;

/** Whether the rules route to the team at all, as the backend decides it (Router.Routes). */
const routes = (team) => team.useLeads !== false && ((team.rules?.length ?? 0) > 0 || team.default === true);

/** What records the team takes, in words. */
export function rulesText(team) {
  if (team.useLeads === false) return 'Takes no leads.';
  if (team.rules?.length) return team.rules.map(ruleText).join(' and ');
  return team.default ? 'No conditions: the records no other team\'s rules match.' : 'No conditions: routing gives it no records.';
}

const unit = (n, word) => `${n} ${word}${Number(n) === 1 ? '' : 's'}`;

/** An ISO 8601 duration in words ("PT2H" → "2 hours", "P1DT30M" → "1 day 30 minutes"); unknown forms as given. */
export function durationText(iso) {
  if (!iso) return 'No limit';
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso.trim());
  if (!match || !match.slice(1).some(Boolean)) return iso;
  const [, weeks, days, hours, minutes, seconds] = match;
  return [[weeks, 'week'], [days, 'day'], [hours, 'hour'], [minutes, 'minute'], [seconds, 'second']]
    .filter(([n]) => n && Number(n) > 0).map(([n, word]) => unit(Number(n), word)).join(' ') || iso;
}

const dayNames = { monday: 'Mon', tuesday: 'Tue', wednesday: 'Wed', thursday: 'Thu', friday: 'Fri', saturday: 'Sat', sunday: 'Sun' };

function hoursText(team) {
  const hours = team.workingHours;
  if (!hours) return `Around the clock (${team.timeZone || 'UTC'})`;
  const days = (hours.days ?? []).map((d) => dayNames[d] ?? d).join(', ');
  return `${days}, ${hours.start}–${hours.end} (${team.timeZone || 'UTC'})`;
}

/** Teams as the rules try them: by sequence, then creation, then id. */
const inOrder = (teams) => [...teams].sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0)
  || String(a.createdAt ?? '').localeCompare(String(b.createdAt ?? '')) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export async function renderTeams() {
  const show = page();
  let teams;
  try {
    teams = (await loadDirectory(true)).teams;
  } catch (error) {
    show(h('h1', { text: 'Teams' }), errorBox(error));
    return;
  }
  const rows = inOrder(teams).map((team) => h('tr', {},
    h('td', { 'data-label': 'Sequence', text: String(team.sequence ?? 0) }),
    h('td', { 'data-label': 'Team' }, h('a', { href: `#/teams/${encodeURIComponent(team.id)}`, text: team.name || team.id })),
    h('td', { 'data-label': 'Default', text: team.default ? 'Default' : '' }),
    h('td', { 'data-label': 'Takes', text: rulesText(team) }),
    h('td', { 'data-label': 'Answer within', text: durationText(team.respondWithin) }),
    h('td', { 'data-label': 'Members', text: String(team.memberIds?.length ?? 0) }),
    h('td', { 'data-label': 'Routing' }, routes(team) ? badge('routes', 'active') : badge('off'))));
  show(
    h('h1', { text: 'Teams' }),
    h('p', { class: 'muted', text: 'A new record without a salesperson goes to the first team whose conditions all hold, tried by sequence (lower first); the default team takes the rest. Within the team, the available member with the lowest load against their capacity gets it.' }),
    teams.length === 0
      ? h('p', { text: 'No teams yet.' })
      : h('div', { class: 'scroll' }, h('table', { class: 'records' },
        h('caption', { text: 'In the order their rules are tried' }),
        h('thead', {}, h('tr', {}, ['Sequence', 'Team', 'Default', 'Takes', 'Answer within', 'Members', 'Routing'].map((t) => h('th', { scope: 'col', text: t })))),
        h('tbody', {}, rows))));
}

/** A member's load over the rolling 30 days: "3 of 20 in the last 30 days", or "3, no limit". */
export const loadText = (member) => (member.capacity > 0 ? `${member.load} of ${member.capacity} in the last 30 days` : `${member.load}, no limit`);

export async function renderTeam(id) {
  const show = page();
  const path = `teams/${encodeURIComponent(id)}`;
  let team;
  let members;
  let me;
  let directory;
  try {
    [team, members, me, directory] = await Promise.all([get(path), get(`${path}/members`), loadMe(), loadDirectory()]);
  } catch (error) {
    show(h('h1', { text: 'Team' }), errorBox(error), h('p', {}, h('a', { href: '#/teams', text: 'Back to the teams' })));
    return;
  }
  const manager = includes(me.role, 'manager');
  let edit = '';
  if (manager) {
    const button = h('button', { type: 'button', text: 'Edit routing…' });
    button.addEventListener('click', () => openTeamEditor(team, members.members, button));
    edit = h('div', { class: 'actions' }, button);
  }
  show(
    h('p', {}, h('a', { href: '#/teams', text: '← Teams' })),
    h('h1', { text: team.name || team.id }),
    h('p', { class: 'status' }, team.default ? badge('default', 'active') : '', routes(team) ? badge('routes', 'active') : badge('not routed', 'off')),
    edit || h('p', { class: 'muted', text: 'Read only: a manager or admin changes a team\'s routing.' }),
    h('section', { 'aria-labelledby': 'routing-title' }, h('h2', { id: 'routing-title', text: 'Routing' }), routing(team, directory)),
    h('section', { 'aria-labelledby': 'members-title' }, h('h2', { id: 'members-title', text: 'Members' }), memberTable(members.members)));
}

function routing(team, directory) {
  const conditions = team.useLeads !== false && team.rules?.length
    ? h('ul', { class: 'rules' }, team.rules.map((rule) => h('li', { text: ruleText(rule) })))
    : rulesText(team);
  return h('dl', { class: 'fields' },
    h('dt', { text: 'Sequence' }), h('dd', { text: String(team.sequence ?? 0) }),
    h('dt', { text: 'Default team' }), h('dd', { text: team.default ? 'Yes: takes the records no team\'s rules match' : 'No' }),
    h('dt', { text: 'Conditions (all must hold)' }), h('dd', {}, conditions),
    // Counted in the working hours when the team has them, else around the clock.
    h('dt', { text: 'Answer within' }), h('dd', { text: team.respondWithin && team.workingHours ? `${durationText(team.respondWithin)} of working time` : durationText(team.respondWithin) }),
    h('dt', { text: 'Working hours' }), h('dd', { text: hoursText(team) }),
    h('dt', { text: 'Sent back at most' }), h('dd', { text: unit(team.maxReassignments ?? 0, 'time') }),
    h('dt', { text: 'Leader' }), h('dd', { text: nameOf(directory.salespeople, team.leaderId) || '—' }));
}

function memberTable(members) {
  if (!members.length) return h('p', { text: 'No members: the rules cannot give this team\'s records to anyone.' });
  const now = new Date();
  const rows = members.map((member) => h('tr', {},
    h('td', { 'data-label': 'Name' }, h('a', { href: `#/leads?userId=${encodeURIComponent(member.id)}`, text: member.name || member.id })),
    h('td', { 'data-label': 'Load', text: loadText(member) }),
    h('td', { 'data-label': 'Availability' }, member.available ? badge('available', 'won') : h('span', { text: member.unavailable || 'unavailable' })),
    h('td', { 'data-label': 'Away until', text: member.awayUntil && new Date(member.awayUntil) > now ? when(member.awayUntil) : '—' }),
    h('td', { 'data-label': 'Last assigned', text: member.lastAssignedAt ? when(member.lastAssignedAt) : 'never' })));
  return h('div', { class: 'scroll' }, h('table', { class: 'records members' },
    h('thead', {}, h('tr', {}, ['Name', 'Load', 'Availability', 'Away until', 'Last assigned'].map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, rows)));
}
