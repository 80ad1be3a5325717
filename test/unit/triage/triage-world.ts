import type { Actor } from '../../../src/core/identity/actor.js';
import type { DomainEvent } from '../../../src/core/shared/domain-event.js';
import { CreateTicket, type CreateTicketInput } from '../../../src/core/tickets/create-ticket.use-case.js';
import type { Severity, Urgency } from '../../../src/core/tickets/priority-matrix.js';
import { UpdateTicket } from '../../../src/core/tickets/update-ticket.use-case.js';
import { RunTriage, type TriageSettings } from '../../../src/core/triage/run-triage.use-case.js';
import { TrainTriageModel, type TrainingSettings } from '../../../src/core/triage/train-triage-model.use-case.js';
import { aCategory } from '../../support/factories/category.factory.js';
import { aTicket } from '../../support/factories/ticket.factory.js';
import { ticketWorld } from '../tickets/ticket-world.js';

type Lang = 'es' | 'pt' | 'en';

/** What past tickets of each kind said, in three languages, and how they were finally classified. */
export const KINDS = {
  printer: {
    severity: 'high' as Severity,
    urgency: 'high' as Urgency,
    phrases: {
      es: ['La impresora no imprime', 'Atasco de papel en la impresora', 'Impresora sin tóner', 'La impresora del piso 2 falla'],
      pt: ['A impressora não imprime', 'Papel preso na impressora', 'Impressora sem toner', 'A impressora do andar 2 falha'],
      en: ['The printer does not print', 'Paper jam in the printer', 'Printer out of toner', 'Printer on floor 2 fails'],
    } satisfies Record<Lang, string[]>,
  },
  laptop: {
    severity: 'medium' as Severity,
    urgency: 'medium' as Urgency,
    phrases: {
      es: ['El portátil no enciende', 'La batería del portátil no carga', 'Pantalla del portátil rota', 'Portátil muy lento'],
      pt: ['O notebook não liga', 'A bateria do notebook não carrega', 'Tela do notebook quebrada', 'Notebook muito lento'],
      en: ['Laptop does not turn on', 'Laptop battery not charging', 'Laptop screen cracked', 'Laptop very slow'],
    } satisfies Record<Lang, string[]>,
  },
  vpn: {
    severity: 'critical' as Severity,
    urgency: 'high' as Urgency,
    phrases: {
      es: ['No conecta la VPN', 'La VPN se desconecta', 'Error de VPN al conectar desde casa', 'VPN caída'],
      pt: ['Sem conexão com a VPN', 'A VPN cai toda hora', 'Erro na VPN ao conectar de casa', 'VPN fora do ar'],
      en: ['Cannot connect to the VPN', 'VPN keeps disconnecting', 'VPN error connecting from home', 'VPN is down'],
    } satisfies Record<Lang, string[]>,
  },
  password: {
    severity: 'low' as Severity,
    urgency: 'low' as Urgency,
    phrases: {
      es: ['Contraseña expirada', 'Olvidé mi contraseña', 'Restablecer contraseña', 'Cambiar contraseña'],
      pt: ['Senha expirada', 'Esqueci minha senha', 'Redefinir senha', 'Trocar senha'],
      en: ['Password expired', 'Forgot my password', 'Reset my password', 'Change my password'],
    } satisfies Record<Lang, string[]>,
  },
};
export type Kind = keyof typeof KINDS;

export const TRAINING_SETTINGS: TrainingSettings = { minExamples: 10, maxExamples: 1000, keep: 3 };
export const TRIAGE_SETTINGS: TriageSettings = { applyConfidence: 0.85, duplicateSimilarity: 0.75 };

/**
 * The ticket world plus categories (hardware/printer|laptop, network/vpn, access/password), the triage use cases over the
 * in-memory fakes, and helpers to seed resolved tickets, open new ones through CreateTicket and triage them.
 */
export function triageWorld(settings: Partial<TriageSettings> = {}) {
  const w = ticketWorld();
  const hardware = w.db.addCategory(aCategory({ name: 'Hardware' }));
  const network = w.db.addCategory(aCategory({ name: 'Network' }));
  const access = w.db.addCategory(aCategory({ name: 'Access' }));
  const categories: Record<Kind, { categoryId: string; subcategoryId: string }> = {
    printer: { categoryId: hardware.id, subcategoryId: w.db.addCategory(aCategory({ name: 'Printer', parentId: hardware.id })).id },
    laptop: { categoryId: hardware.id, subcategoryId: w.db.addCategory(aCategory({ name: 'Laptop', parentId: hardware.id })).id },
    vpn: { categoryId: network.id, subcategoryId: w.db.addCategory(aCategory({ name: 'VPN', parentId: network.id })).id },
    password: { categoryId: access.id, subcategoryId: w.db.addCategory(aCategory({ name: 'Password', parentId: access.id })).id },
  };
  const models = w.db.autocommit.triageModels;
  const train = new TrainTriageModel(models, w.clock, TRAINING_SETTINGS);
  const triage = new RunTriage(w.uow, models, w.matrix, w.clock, { ...TRIAGE_SETTINGS, ...settings });
  const create = new CreateTicket(w.uow, w.matrix, w.clock);
  const update = new UpdateTicket(w.uow, w.matrix, w.clock);

  /** `rounds` resolved tickets per phrase of every kind and language, with their final classification. */
  const seedResolved = (rounds = 2, status: 'resolved' | 'closed' = 'resolved') => {
    for (let round = 0; round < rounds; round++) {
      for (const [kind, { severity, urgency, phrases }] of Object.entries(KINDS) as [Kind, (typeof KINDS)[Kind]][]) {
        for (const list of Object.values(phrases)) {
          for (const phrase of list) {
            w.clock.advance(1000);
            w.ticketOf(w.bob, {
              title: phrase,
              description: `${phrase}. ${list[(round + 1) % list.length]}`,
              status,
              updatedAt: w.clock.now(),
              severity,
              urgency,
              ...categories[kind],
            });
          }
        }
      }
    }
  };

  /** Opens a ticket through CreateTicket and returns it with its ticket.created event, as the relay delivers it. */
  const open = async (actor: Actor, input: CreateTicketInput) => {
    w.clock.advance(1000);
    const { ticket } = await create.execute(actor, input);
    return { id: ticket.id, created: lastEvent(ticket.id, 'ticket.created') };
  };

  const lastEvent = (ticketId: string, type: string): DomainEvent => {
    const event = w.db.outbox().filter((e) => e.aggregateId === ticketId && e.type === type).at(-1);
    if (!event) throw new Error(`no ${type} event for ${ticketId}`);
    return event;
  };

  return { ...w, categories, models, train, triage, create, update, seedResolved, open, lastEvent, aTicket };
}
