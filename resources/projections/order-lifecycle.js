// An order state machine over the sample capture's orders and payments topics, one state per
// order (the records' key is the order id). It flags what a consumer should not see: events for
// an order that was never placed, transitions out of order, the same event twice, a value that
// is not JSON, a tombstone.
//
//   eventscope replay --projection resources/projections/order-lifecycle.js \
//     --topic orders --topic payments --capture resources/sample-capture.eventscope
//
// The two topics are merged by timestamp, so a payment follows the order it pays for when their
// producers' clocks agree.

/** Which status each event type may follow (undefined: any), and the status it leads to. */
const TRANSITIONS = {
  OrderPlaced: { from: [null], to: 'placed' },
  PaymentFailed: { from: ['placed'], to: 'payment-failed' },
  PaymentAuthorized: { from: ['placed', 'payment-failed'], to: 'authorized' },
  PaymentCaptured: { from: ['authorized'], to: 'captured' },
  OrderPaid: { from: ['authorized', 'captured'], to: 'paid' },
  OrderCancelled: { from: ['placed', 'payment-failed', 'authorized'], to: 'cancelled' },
  OrderShipped: { from: ['paid'], to: 'shipped' },
  PaymentRefunded: { from: ['paid', 'shipped'], to: 'refunded' },
};

function flag(state, event, problem) {
  state.flags.push({ problem, type: event.type, topic: event.topic, partition: event.partition, offset: event.offset });
  return state;
}

function step(state, event) {
  if (typeof event.value === 'string') return flag(state, event, 'the value is not JSON');
  const rule = TRANSITIONS[event.type];
  if (state.status === null && event.type !== 'OrderPlaced') {
    flag(
      state,
      event,
      event.topic === 'payments' ? 'a payment for an order never placed' : 'an event for an order never placed',
    );
  } else if (state.status === rule.to) {
    return flag(state, event, `${event.type} twice`);
  } else if (!rule.from.includes(state.status)) {
    flag(state, event, `${event.type} after ${state.status}`);
  }
  state.status = rule.to;
  state.events += 1;
  return state;
}

export default {
  name: 'order lifecycle',
  typeFrom: { header: 'event-type' },
  keyBy: (event) => event.key,
  init: () => ({ status: null, events: 0, flags: [] }),
  on: Object.fromEntries(Object.keys(TRANSITIONS).map((type) => [type, step])),
  // Anything else (a tombstone, an unknown type) is flagged as it is.
  any(state, event) {
    return flag(state, event, event.value === null ? 'a tombstone' : `an event of unknown type ${event.type}`);
  },
};
