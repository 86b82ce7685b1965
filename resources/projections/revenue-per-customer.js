// Revenue per customer, from the sample capture's orders topic.
//
//   eventscope replay --projection resources/projections/revenue-per-customer.js \
//     --topic orders --capture resources/sample-capture.eventscope
//
// OrderPaid carries the amount but not the customer: the customer comes from the order's
// OrderPlaced, kept in `unpaid` until the order is paid. A second OrderPaid for the same order
// (at-least-once delivery upstream) is counted once: it finds the order paid already.

export default {
  name: 'revenue per customer',
  typeFrom: { header: 'event-type' },

  init: () => ({
    // customer id → cents paid, and orders paid
    revenueCents: {},
    paidOrders: {},
    duplicatePayments: 0,
    paymentsForUnknownOrders: [],
    // Bookkeeping. Order id → customer id, for orders placed and not (yet) paid:
    unpaid: {},
    // order id → true, for orders paid (a repeated OrderPaid is counted once):
    paid: {},
  }),

  on: {
    OrderPlaced(state, event) {
      state.unpaid[event.value.orderId] = event.value.customerId;
      return state;
    },

    OrderPaid(state, event) {
      const { orderId, amountCents } = event.value;
      if (state.paid[orderId]) {
        state.duplicatePayments += 1;
        return state;
      }
      const customerId = state.unpaid[orderId];
      if (customerId === undefined) {
        state.paymentsForUnknownOrders.push({ orderId, partition: event.partition, offset: event.offset });
        return state;
      }
      delete state.unpaid[orderId];
      state.paid[orderId] = true;
      state.revenueCents[customerId] = (state.revenueCents[customerId] ?? 0) + amountCents;
      state.paidOrders[customerId] = (state.paidOrders[customerId] ?? 0) + 1;
      return state;
    },

    OrderCancelled(state, event) {
      delete state.unpaid[event.value.orderId];
      return state;
    },
  },
};
