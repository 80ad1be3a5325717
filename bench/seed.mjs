// Bulk seed for the benchmark: users, categories and tickets generated inside PostgreSQL.
import { randomUUID } from 'node:crypto';

// Mixed Spanish / Portuguese / English vocabulary, accented words included, so full-text search is selective.
export const TITLES = [
  'No puedo restablecer mi contraseña', 'Error de conexión con el servidor de archivos',
  'El correo no sincroniza en el móvil', 'Impresora sin conexión en la oficina',
  'Cuenta bloqueada tras varios intentos', 'Solicitud de acceso a carpeta compartida',
  'La aplicación de nómina no responde', 'Monitor sin señal después de actualizar',
  'Conexión inalámbrica muy lenta', 'Fallo al enviar correo con adjuntos', 'Teléfono IP sin tono',
  'Erro de impressão no terceiro andar', 'Não consigo acessar a rede corporativa',
  'Impressora não imprime em cores', 'Senha expirada, não consigo entrar',
  'Falha na conexão Wi-Fi da sala de reunião', 'Outlook não abre após atualização',
  'Pedido de instalação de software', 'Lentidão na rede do escritório', 'Acesso negado à pasta compartilhada',
  'VPN cai a cada dez minutos', 'VPN connection drops every few minutes', 'Printer shows paper jam but tray is empty',
  'Password expired, cannot log in', 'Laptop very slow after update', 'Cannot access shared drive',
  'Email stuck in outbox', 'New hire onboarding: laptop and accounts', 'Wi-Fi keeps disconnecting in meeting room',
  'Request access to finance reporting tool', 'Docking station not detecting monitors', 'Network printer prints blank pages',
];
export const SENTENCES = [
  'Desde esta mañana no funciona.', 'El usuario no puede iniciar sesión con su contraseña.',
  'La conexión se corta cada pocos minutos.', 'Ya reinicié el equipo y el problema continúa.',
  'El correo electrónico queda en la bandeja de salida.', 'Es urgente porque afecta a todo el equipo de ventas.',
  'Aparece un mensaje de error al abrir la aplicación.', 'Necesito acceso antes del cierre contable.',
  'O usuário não consegue acessar o sistema desde ontem.', 'A impressão sai em branco ou com falhas.',
  'A rede fica instável depois do almoço.', 'Já tentei reiniciar o computador, sem sucesso.',
  'Preciso de ajuda com urgência, reunião com cliente às 14h.', 'A conexão com a VPN cai com frequência.',
  'O e-mail não chega para destinatários externos.', 'A senha foi alterada mas o acesso continua bloqueado.',
  'It started after the latest Windows update.', 'The user cannot log in with the new password.',
  'Rebooting did not help.', 'Other users on the same floor are affected too.',
  'Please treat this as urgent, a client demo is scheduled.', 'The printer queue shows the job as sent.',
  'Error message attached as a screenshot.', 'Happens only when connected to the docking station.',
];
const TAGS = ['vpn', 'email', 'printer', 'network', 'password', 'hardware', 'software', 'access', 'wifi', 'laptop', 'onboarding', 'urgent'];
const CATEGORIES = {
  Hardware: ['Laptop', 'Desktop', 'Monitor', 'Periféricos', 'Docking'],
  Software: ['Instalação', 'Licencias', 'Office', 'ERP', 'Actualizaciones'],
  'Rede / Network': ['VPN', 'Wi-Fi', 'LAN', 'Firewall', 'DNS'],
  'Correo / E-mail': ['Outlook', 'Webmail', 'Listas', 'Spam', 'Calendario'],
  Accesos: ['Contraseña', 'Cuenta bloqueada', 'Permisos', 'MFA', 'Pastas compartilhadas'],
  Impressão: ['Impressoras', 'Scanner', 'Toner', 'Fila de impressão', 'Etiquetas'],
  Telefonía: ['Ramal', 'Móvil', 'Softphone', 'Voicemail', 'Conferencia'],
  Seguridad: ['Phishing', 'Malware', 'Cifrado', 'Auditoría', 'Dispositivos perdidos'],
  Onboarding: ['Nuevo empleado', 'Desligamento', 'Cambio de área', 'Equipamento', 'Treinamento'],
  Facilities: ['Sala de reunião', 'Proyector', 'Ar-condicionado', 'Badge', 'Mobiliario'],
};
const FIRST = ['María', 'João', 'José', 'Ana', 'Lucía', 'Pedro', 'Camila', 'Luis', 'Fernanda', 'Carlos', 'Sofia', 'Tomás', 'Emily', 'James', 'Inês', 'Raúl'];
const LAST = ['García', 'Silva', 'Souza', 'Fernández', 'Pereira', 'López', 'Gonçalves', 'Martínez', 'Smith', 'Brown', 'Conceição', 'Muñoz'];

const PRIORITY = `CASE severity
  WHEN 'critical' THEN CASE urgency WHEN 'low' THEN 'high' ELSE 'critical' END
  WHEN 'high' THEN CASE urgency WHEN 'high' THEN 'critical' WHEN 'medium' THEN 'high' ELSE 'medium' END
  WHEN 'medium' THEN CASE urgency WHEN 'high' THEN 'high' WHEN 'medium' THEN 'medium' ELSE 'low' END
  ELSE CASE urgency WHEN 'high' THEN 'medium' ELSE 'low' END END`;

// $1 first g, $2 last g, $3 titles, $4 sentences, $5 tags, $6 requesters, $7 agents, $8 categories, $9 subcategories
// (subcategory (c-1)*5+k belongs to category c). Recent tickets are mostly active; older ones mostly closed.
const TICKETS_SQL = `
INSERT INTO tickets (id, number, title, description, status, priority, severity, urgency, category_id, subcategory_id,
  requester_id, assignee_id, tags, created_at, updated_at, resolved_at, closed_at, version)
SELECT gen_random_uuid(), 999 + g, title, description, status, ${PRIORITY}, severity, urgency, ($8::uuid[])[c], ($9::uuid[])[(c - 1) * 5 + k],
  ($6::uuid[])[1 + floor(random() * cardinality($6::uuid[]))::int],
  CASE WHEN status = 'new' OR (status = 'open' AND random() < 0.2) THEN NULL
       ELSE ($7::uuid[])[1 + floor(random() * cardinality($7::uuid[]))::int] END,
  tags, created_at, coalesce(closed_at, resolved_at, least(now(), created_at + random() * interval '2 days')),
  resolved_at, closed_at, 1 + floor(random() * 4)::int
FROM (
  SELECT *, CASE WHEN status IN ('resolved', 'closed') THEN resolved END AS resolved_at,
         CASE WHEN status = 'closed' THEN least(now(), resolved + interval '3 days') END AS closed_at
  FROM (
    SELECT g, created_at, least(now(), created_at + random() * interval '10 days') AS resolved,
      ($3::text[])[1 + floor(random() * cardinality($3::text[]))::int] AS title,
      ($4::text[])[1 + floor(random() * cardinality($4::text[]))::int] || ' ' ||
        ($4::text[])[1 + floor(random() * cardinality($4::text[]))::int] || ' ' ||
        ($4::text[])[1 + floor(random() * cardinality($4::text[]))::int] || ' Host: PC-' || (g % 5000) AS description,
      CASE WHEN created_at > now() - interval '45 days' THEN
        CASE WHEN rs < .10 THEN 'new' WHEN rs < .40 THEN 'open' WHEN rs < .60 THEN 'in_progress'
             WHEN rs < .70 THEN 'pending' WHEN rs < .85 THEN 'resolved' ELSE 'closed' END
      ELSE CASE WHEN rs < .03 THEN 'open' WHEN rs < .05 THEN 'in_progress' WHEN rs < .07 THEN 'pending'
                WHEN rs < .15 THEN 'resolved' ELSE 'closed' END END AS status,
      CASE WHEN rsev < .05 THEN 'critical' WHEN rsev < .25 THEN 'high' WHEN rsev < .75 THEN 'medium' ELSE 'low' END AS severity,
      CASE WHEN rurg < .20 THEN 'high' WHEN rurg < .70 THEN 'medium' ELSE 'low' END AS urgency,
      (ARRAY[($5::text[])[1 + a], ($5::text[])[1 + (a + d) % 12], ($5::text[])[1 + (a + 2 * d) % 12]])[1:ntags] AS tags,
      c, k
    FROM (
      SELECT g, now() - random() * interval '730 days' AS created_at, random() AS rs, random() AS rsev, random() AS rurg,
        floor(random() * 12)::int AS a, 1 + floor(random() * 5)::int AS d, floor(random() * 4)::int AS ntags,
        1 + floor(random() * 10)::int AS c, 1 + floor(random() * 5)::int AS k
      FROM generate_series($1::int, $2::int) g
    ) r
  ) s
) t`;

/** Seeds `total` tickets on two connections (two cores), building the secondary indexes afterwards. */
export async function seed(pool, total, log) {
  const setup = await pool.connect();
  let requesters, agents, cats, subs, indexes;
  try {
    await setup.query(`
      INSERT INTO users (id, email, name, role, created_at, updated_at)
      SELECT gen_random_uuid(), CASE WHEN g <= 20 THEN 'agent' ELSE 'requester' END || g || '@bench.tessera.test',
        ($1::text[])[1 + g % cardinality($1::text[])] || ' ' || ($2::text[])[1 + (g / 7) % cardinality($2::text[])],
        CASE WHEN g <= 20 THEN 'agent' ELSE 'requester' END, now() - interval '2 years', now() - interval '2 years'
      FROM generate_series(1, 2020) g`, [FIRST, LAST]);
    const ids = async (role) =>
      (await setup.query(`SELECT id FROM users WHERE role = $1 AND email LIKE '%@bench.tessera.test'`, [role])).rows.map((r) => r.id);
    [requesters, agents] = [await ids('requester'), await ids('agent')];
    cats = [];
    subs = [];
    for (const [name, children] of Object.entries(CATEGORIES)) {
      const id = randomUUID();
      cats.push(id);
      await setup.query(`INSERT INTO categories (id, name, created_at, updated_at) VALUES ($1, $2, now(), now())`, [id, name]);
      for (const child of children) {
        const sid = randomUUID();
        subs.push(sid);
        await setup.query(`INSERT INTO categories (id, name, parent_id, created_at, updated_at) VALUES ($1, $2, $3, now(), now())`, [sid, child, id]);
      }
    }
    // Secondary indexes (not constraint-backed) are dropped during the load and rebuilt from their own definitions.
    indexes = (await setup.query(`
      SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      WHERE x.indrelid = 'tickets'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
      ORDER BY pg_relation_size(i.oid) DESC`)).rows;
    for (const { name } of indexes) await setup.query(`DROP INDEX ${name}`);
  } finally {
    setup.release();
  }

  const batch = Math.max(1000, Math.ceil(total / 20));
  const ranges = [];
  for (let lo = 1; lo <= total; lo += batch) ranges.push([lo, Math.min(total, lo + batch - 1)]);
  let done = 0;
  const started = Date.now();
  const worker = async (take) => {
    const db = await pool.connect();
    try {
      // Session settings only: no fsync wait per batch, roomy index builds, and no per-row foreign-key triggers
      // (the ids come from the tables themselves; checked once below).
      await db.query(`SET synchronous_commit = off`);
      await db.query(`SET maintenance_work_mem = '256MB'`);
      await db.query(`SET session_replication_role = replica`);
      for (let job = take(); job; job = take()) await job(db);
    } finally {
      db.release();
    }
  };
  const inserts = ranges.map(([lo, hi]) => async (db) => {
    await db.query(TICKETS_SQL, [lo, hi, TITLES, SENTENCES, TAGS, requesters, agents, cats, subs]);
    done += hi - lo + 1;
    log(`  tickets ${done.toLocaleString('en')} / ${total.toLocaleString('en')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  });
  await Promise.all([0, 1].map(() => worker(() => inserts.shift())));
  const builds = indexes.map(({ name, def }) => async (db) => {
    const t = Date.now();
    await db.query(def);
    log(`  index ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  });
  await Promise.all([0, 1].map(() => worker(() => builds.shift())));
  const { rows: [orphans] } = await pool.query(`
    SELECT count(*) AS n FROM tickets t
    LEFT JOIN users r ON r.id = t.requester_id
    LEFT JOIN users a ON a.id = t.assignee_id
    LEFT JOIN categories s ON s.id = t.subcategory_id AND s.parent_id = t.category_id
    WHERE r.id IS NULL OR (t.assignee_id IS NOT NULL AND a.id IS NULL) OR s.id IS NULL`);
  if (Number(orphans.n) !== 0) throw new Error(`${orphans.n} seeded tickets reference missing users or categories`);
  await pool.query(`SELECT setval('ticket_number_seq', (SELECT max(number) FROM tickets))`);
  await pool.query(`VACUUM ANALYZE`);
  return { requesters: requesters.length, agents: agents.length, categories: cats.length, subcategories: subs.length };
}

/** Search terms: accented, the same without accents, and plain words, each in 15-35 % of the tickets. */
export const SEARCH_TERMS = ['impressão', 'impressao', 'conexión', 'conexion', 'contraseña', 'contrasena', 'não', 'correo', 'rede', 'vpn'];
/** Host names from the descriptions: each in 1 ticket of 5,000. */
export const RARE_TERMS = ['PC-4321', 'PC-777', 'PC-2024'];
