package io.ferry.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What bi_order/bi_order_item and bi_trade/bi_trade_line must hold for a simulator's current orders or trades, as
 * one text per row ({@code key:status:modified} and {@code key:line id:sku:quantity}), and the queries that read the
 * same texts back: an order in an older version, a line too many or one missing shows as a difference.
 */
public final class WindowedTargets {

    public static final String ORDERS_SQL = "SELECT CONCAT(o_id, ':', status, ':', DATE_FORMAT(modified, '%Y-%m-%d %H:%i:%s')) FROM bi_order";
    public static final String ORDER_ITEMS_SQL = "SELECT CONCAT(o_id, ':', oi_id, ':', sku_id, ':', qty) FROM bi_order_item";
    public static final String TRADES_SQL = "SELECT CONCAT(trade_id, ':', trade_status, ':', DATE_FORMAT(modified, '%Y-%m-%d %H:%i:%s')) FROM bi_trade";
    public static final String TRADE_LINES_SQL = "SELECT CONCAT(trade_id, ':', rec_id, ':', spec_no, ':', num) FROM bi_trade_line";

    /** The rows of the record table and of the lines table. */
    public record Expected(List<String> records, List<String> lines) {
    }

    private WindowedTargets() {
    }

    /** For Jushuitan orders ({@code JushuitanOrders.current}). */
    public static Expected orders(List<Map<String, Object>> orders) {
        return of(orders, "o_id", "status", "items", "oi_id", "sku_id", "qty");
    }

    /** For Wangdiantong trades ({@code WangdiantongTrades.current}). */
    public static Expected trades(List<Map<String, Object>> trades) {
        return of(trades, "trade_id", "trade_status", "detail_list", "rec_id", "spec_no", "num");
    }

    private static Expected of(List<Map<String, Object>> source, String key, String status, String linesField, String lineKey,
            String sku, String quantity) {
        List<String> records = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> r : source) {
            records.add(r.get(key) + ":" + r.get(status) + ":" + r.get("modified"));
            for (Object l : (List<?>) r.get(linesField)) {
                Map<?, ?> line = (Map<?, ?>) l;
                lines.add(r.get(key) + ":" + line.get(lineKey) + ":" + line.get(sku) + ":" + line.get(quantity));
            }
        }
        return new Expected(records, lines);
    }
}
